from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "silahap.events"
    label = "events"
    verbose_name = "Event spine"
