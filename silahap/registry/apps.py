from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from silahap.registry import name_triggers, sqlite_words, warning_triggers


def repair_sqlite_word_index(sender, using, **kwargs):

    sqlite_words.repair(connections[using])
    warning_triggers.repair(connections[using])
    name_triggers.repair(connections[using])


class RegistryConfig(AppConfig):
    name = "silahap.registry"
    label = "registry"

    def ready(self):
        # A migration that rebuilds the persons table on SQLite drops the triggers that keep
        # the word index of person search, the permit warnings' counts and the names table in
        # step; put them back after every migrate.
        post_migrate.connect(repair_sqlite_word_index, sender=self)
