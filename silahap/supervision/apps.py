from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "silahap.supervision"
    label = "supervision"
