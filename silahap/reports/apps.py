from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "silahap.reports"
    label = "reports"

    def ready(self):
        from silahap.reports import rules  # noqa: F401 — registers the access rules
