from django.apps import AppConfig

from silahap.sections import forms as form_extensions
from silahap.sections import registry as slots


class OperationsConfig(AppConfig):
    name = "silahap.operations"
    label = "operations"

    def ready(self):
        # These modules import models, and apps.py is imported before the app registry is ready.
        from silahap.operations import (  # noqa: PLC0415 — they import models (see above)
            picker,
            rules,  # noqa: F401 — access rules
            sections,
        )

        # The officer's running operations on the activity form (reports does not import us).
        form_extensions.add(
            picker.POINT,
            name="operations.operation",
            fields=picker.fields,
            template="operations/_activity_operation.html",
            saved=picker.saved,
            skip_unposted=True,
        )
        slots.add(
            "nav.top",
            name="operations.nav",
            template="operations/_nav.html",
            context=sections.nav_context,
            order=50,
        )
        slots.add(
            "home.partner",
            name="operations.partner_operations",
            template="operations/_home_partner.html",
            context=sections.partner_home_context,
        )
