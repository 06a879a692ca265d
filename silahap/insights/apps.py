from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "silahap.insights"
    label = "insights"

    def ready(self):
        from silahap.insights import subscribers  # noqa: F401 — keeps the rollups current
