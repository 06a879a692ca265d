from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The audit pages, the data subject's export and the incident register: they read persons,
    reports and memberships, so they sit above supervision, not in the audit recording plumbing
    (`silahap.audit`), which every layer writes to."""

    name = "silahap.oversight"
    label = "oversight"

    def ready(self) -> None:
        # Imported here, once the app registry is ready (these modules import models).
        from silahap.audit import queries as audit_queries  # noqa: PLC0415
        from silahap.audit import services as audit  # noqa: PLC0415
        from silahap.oversight import queries, rules  # noqa: F401, PLC0415 — access rules
        from silahap.oversight.services import unusual_access  # noqa: PLC0415

        audit_queries.set_reader_rule(queries.audit_events_visible_to)
        for action in unusual_access.WATCHED_ACTIONS:
            audit.watch(action, unusual_access.unusual_access_check)
