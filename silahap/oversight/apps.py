from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The audit pages, the data subject's export and the incident register: they read persons,
    reports and memberships, so they sit above supervision, not in the audit recording plumbing
    (`silahap.audit`), which every layer writes to."""

    name = "silahap.oversight"
    label = "oversight"

    def ready(self) -> None:
        from silahap.audit import queries as audit_queries
        from silahap.audit import services as audit
        from silahap.oversight import queries, rules  # noqa: F401 — access rules
        from silahap.oversight.services import unusual_access

        audit_queries.set_reader_rule(queries.audit_events_visible_to)
        for action in unusual_access.WATCHED_ACTIONS:
            audit.watch(action, unusual_access.unusual_access_check)
