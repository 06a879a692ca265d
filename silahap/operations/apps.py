from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "silahap.operations"
    label = "operations"
