from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "silahap.integration"
    label = "integration"

    def ready(self) -> None:
        from silahap.integration import rules, schema, subscribers  # noqa: F401, PLC0415 — registers
        from silahap.integration.context import console_link, permit_status_box  # noqa: PLC0415
        from silahap.sections import registry as sections  # noqa: PLC0415

        # Administrators register API clients; leaders approve their scope.
        sections.add(
            "nav.top",
            name="integration.console",
            template="integration/_nav.html",
            context=console_link,
        )
        # The DG's word on a document, beside what the officer records on the check form.
        sections.add(
            "reports.check_form",
            name="integration.permit_status",
            template="integration/_permit_status.html",
            context=permit_status_box,
        )
