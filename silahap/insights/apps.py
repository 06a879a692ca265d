from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "silahap.insights"
    label = "insights"
