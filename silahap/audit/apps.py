from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "silahap.audit"
    label = "audit"

    def ready(self):
        from silahap.audit import receivers, rules  # noqa: F401 — signal receivers, access rules
