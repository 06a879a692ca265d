from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "silahap.guidance"
    label = "guidance"

    def ready(self):
        from silahap.guidance import rules, subscribers  # noqa: F401 — access rules, subscribers
        from silahap.guidance import sections as guidance_sections
        from silahap.sections import registry as sections

        # Before supervision's tasks (order 100): a leader's direction comes first in the day.
        sections.add(
            "reports.today",
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
