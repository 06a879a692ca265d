from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "silahap.integration"
    label = "integration"
