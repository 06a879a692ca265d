from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "silahap.operations"
    label = "operations"

    def ready(self):
        from silahap.operations import rules  # noqa: F401 — access rules
