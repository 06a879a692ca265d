from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "silahap.reports"
    label = "reports"

    def ready(self):
        # Imported here, once the app registry is ready (these modules import models).
        from silahap.reports import rules  # noqa: F401, PLC0415 — registers the access rules
