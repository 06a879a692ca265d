from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "silahap.integration"
    label = "integration"

    def ready(self) -> None:
        from silahap.integration import rules, schema, subscribers  # noqa: F401 — registers
