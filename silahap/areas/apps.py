from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "silahap.areas"
    label = "areas"
    verbose_name = "Administrative areas"
