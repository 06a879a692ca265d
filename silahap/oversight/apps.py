from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The audit pages, the data subject's export and the incident register: they read persons,
    reports and memberships, so they sit above supervision, not in the audit recording plumbing."""

    name = "silahap.oversight"
    label = "oversight"
