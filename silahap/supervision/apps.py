from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "silahap.supervision"
    label = "supervision"

    def ready(self):
        from silahap.supervision import rules, subscribers  # noqa: F401 — access rules, subscribers
