from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "silahap.sections"
    label = "sections"
    verbose_name = "Page sections"
