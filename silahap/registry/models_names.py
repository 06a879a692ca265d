"""The distinct names of current persons, kept current by the database as persons change.

The registry lookup ranks names, not persons: generated and real names repeat (thousands of
persons are "Zhang Wei"), so reading every person of each name near a misspelling costs more the
bigger the registry. This table holds each normalised name borne by at least one unmerged
person once, with how many bear it; PostgreSQL indexes its word keys and trigrams as it does the
persons' (migration 0016), so a lookup's cost follows the names near the query, not the persons.

Triggers on the person table (silahap/registry/name_triggers.py) keep it on every insert, delete
and change of `normalized_name` or `merged_into`, whichever code path writes (services, imports,
merges, the admin, bulk statements); a row whose count falls to 0 is deleted in the same
statement. name_triggers.rebuild_names recounts it from the persons (after a bulk load that
skipped the triggers, or to check them).
"""

from __future__ import annotations

from django.db import models

__all__ = ["PersonName"]


class PersonName(models.Model):
    normalized_name = models.CharField(max_length=200, unique=True)
    persons = models.BigIntegerField()

    class Meta:
        verbose_name = "person name"

    def __str__(self) -> str:
        return f"{self.normalized_name}={self.persons}"
