from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "silahap.reports"
    label = "reports"

    def ready(self):
        # Imported here, once the app registry is ready (these modules import models): the access
        # rules, and what registry's pages and warnings take from reports.
        from silahap.reports import registry_links, registry_sections, rules  # noqa: F401, PLC0415
