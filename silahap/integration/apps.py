from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "silahap.integration"
    label = "integration"

    def ready(self) -> None:
        from silahap.integration import rules, schema, subscribers  # noqa: F401 — registers
        from silahap.integration.context import console_link
        from silahap.sections import registry as sections

        # Administrators register API clients; leaders approve their scope.
        sections.add(
            "nav.top",
            name="integration.console",
            template="integration/_nav.html",
            context=console_link,
        )
