"""The key's column and the constraint that makes it one row per (owner, key)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentModel(models.Model):
    """A row a person creates with a key from the page, the outbox or an Idempotency-Key header.

    Null for rows made without one (before the key existed, the demo, background work); the
    constraint from once_per_key ignores those, since NULLs never collide in a unique index.
    """

    client_id = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def once_per_key(owner: str, *, name: str) -> models.UniqueConstraint:
    """The database's guarantee: one row per key and per person who created it.

    Scoped by the owner, so one person's key can never collide with, or return, another's row.
    """
    return models.UniqueConstraint(fields=[owner, "client_id"], name=name)
