"""Create once per key: a repeated key returns the row its first use created."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)

# API clients send any string as Idempotency-Key; it is turned into the same kind of UUID.
API_KEY_NAMESPACE = uuid.UUID("5b0f7a52-3f4e-4f0e-9d7e-3b5f0c1d2a77")


def key_from_header(value: str) -> uuid.UUID:
    """The UUID an Idempotency-Key header stands for (the same header, the same key)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.uuid5(API_KEY_NAMESPACE, value)


def derived_key(key: uuid.UUID | None, part: str) -> uuid.UUID | None:
    """A key for a record made as part of another (a place made with an activity, photo n of a
    request): the same parent key gives the same part key, so a retry finds that part too."""
    return None if key is None else uuid.uuid5(key, part)


def create_once(
    model: type[M],
    *,
    client_id: uuid.UUID | None,
    owner: dict,
    create: Callable[[], M],
    look_first: bool = True,
) -> M:
    """Run create() once per (owner, client_id); a repeat, even at the same instant, gets the
    row the first one made and writes nothing (no second audit event, no second notification).

    `owner` is the lookup naming who made the row (e.g. {"created_by": user}); a key another
    person used is never looked up, so it cannot return their row. The database's unique
    constraint decides between two concurrent first uses: the loser's savepoint is rolled back
    and it reads the winner's row. Without a key, create() simply runs.
    """
    if client_id is None:
        # In a savepoint of its own like a keyed create, so a refusal leaves the caller's
        # transaction usable (a service may run without savepoints of its own).
        with transaction.atomic():
            return create()

    def mine() -> models.QuerySet[M]:
        # Built only when asked: the usual first use (look_first=False) never reads it.
        return model._default_manager.filter(client_id=client_id, **owner)

    if look_first:
        existing = mine().first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return create()
    except (IntegrityError, ValidationError):
        # A concurrent first use committed while this one ran, or (look_first=False) this is a
        # repeat: the first row is the answer. (Its commit can also trip another rule first,
        # e.g. "this number exists already".)
        existing = mine().first()
        if existing is not None:
            return existing
        if not look_first and model._default_manager.filter(client_id=client_id).exists():
            raise PermissionDenied("that key was used by someone else") from None
        raise


def idempotent(model: type[M], *, owner: str, look_first: bool = True):
    """Decorate a create service taking `by` and `client_id`: it runs once per (by, key).

    look_first=False skips the lookup before the create: the usual first send costs one query
    less, and a repeat is found when the database refuses its key (the create's work is rolled
    back to a savepoint, so the service must keep all its effects inside the transaction)."""

    def decorate(service: Callable[..., M]) -> Callable[..., M]:
        @functools.wraps(service)
        def once(*, by, client_id: uuid.UUID | None = None, **values) -> M:
            return create_once(
                model,
                client_id=client_id,
                owner={owner: by},
                create=lambda: service(by=by, client_id=client_id, **values),
                look_first=look_first,
            )

        return once

    return decorate
