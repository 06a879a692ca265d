from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "silahap.registry"
    label = "registry"
