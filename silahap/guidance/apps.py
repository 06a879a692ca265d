from django.apps import AppConfig

from silahap.sections import registry as sections


class GuidanceConfig(AppConfig):
    name = "silahap.guidance"
    label = "guidance"

    def ready(self):
        # These modules import models, and apps.py is imported before the app registry is ready.
        from silahap.guidance import (  # noqa: PLC0415 — they import models (see above)
            rules,  # noqa: F401 — access rules
            subscribers,  # noqa: F401 — spine subscribers
        )
        from silahap.guidance import sections as guidance_sections  # noqa: PLC0415 — models

        # Above the day's report: a leader's direction is the first thing the officer sees.
        sections.add(
            "reports.today.top",
            name="guidance.directions",
            template="guidance/_today_directions.html",
            context=guidance_sections.today_directions,
            order=10,
        )
        sections.add(
            "nav.top",
            name="guidance.nav",
            template="guidance/_nav.html",
            context=guidance_sections.nav_links,
        )
        sections.add(
            "home.leader",
            name="guidance.leader_cards",
            template="guidance/_leader_cards.html",
            context=guidance_sections.leader_cards,
        )
