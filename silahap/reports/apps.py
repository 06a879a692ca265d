from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "silahap.reports"
    label = "reports"
