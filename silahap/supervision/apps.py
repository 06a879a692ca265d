from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "silahap.supervision"
    label = "supervision"

    def ready(self):
        from silahap.supervision import rules  # noqa: F401 — registers the access rules
