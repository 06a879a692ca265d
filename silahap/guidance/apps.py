from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "silahap.guidance"
    label = "guidance"
