from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "silahap.operations"
    label = "operations"

    def ready(self):
        from silahap.operations import (
            picker,
            rules,  # noqa: F401 — access rules
        )
        from silahap.sections import forms as form_extensions

        # The officer's running operations on the activity form (reports does not import us).
        form_extensions.add(
            picker.POINT,
            name="operations.operation",
            fields=picker.fields,
            template="operations/_activity_operation.html",
            saved=picker.saved,
        )
