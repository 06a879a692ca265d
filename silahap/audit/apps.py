from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Recording audit events and sealing them into the hash chain: plumbing every layer uses.
    Its pages, the data subject's export and the incident register are `silahap.oversight`."""

    name = "silahap.audit"
    label = "audit"

    def ready(self) -> None:
        # Imported here, once the app registry is ready (these modules import models).
        from silahap.audit import receivers  # noqa: F401, PLC0415 — signal receivers
