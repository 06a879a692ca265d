from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "silahap.insights"
    label = "insights"

    def ready(self):
        # Imported here, once the app registry is ready (these modules import models).
        from silahap.insights import rules, subscribers  # noqa: F401, PLC0415 — access rules; rollups current
        from silahap.insights import sections as insights_sections  # noqa: PLC0415
        from silahap.sections import registry as sections  # noqa: PLC0415

        sections.add(
            "nav.top",
            name="insights.nav",
            template="insights/_nav.html",
            context=insights_sections.nav_context,
        )
        for slot in ("home.analyst", "home.leader"):
            sections.add(
                slot,
                name="insights.home",
                template="insights/_home.html",
                context=insights_sections.home_context,
            )
