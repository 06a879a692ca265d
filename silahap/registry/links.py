"""What the layers above know about the registry's persons, handed down at start-up.

The registry may not import reports (docs/architecture.md), yet three of its reads need what only
reports knows: who was checked at a place (the person search's place filter), whether a person
was checked in the activity or report a link came from (the purpose such a link implies), and the
office of a person's latest check (the warning column `last_check_office`). Reports provides
each from its AppConfig.ready() (silahap/reports/registry_links.py). Without a provider the
registry answers as if nobody had been checked, and leaves `last_check_office` as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

# places -> a condition on persons: checked at one of them.
SeenAt = Callable[[QuerySet], Q]
# () -> a one-column subquery over OuterRef("pk") (a person): the office of their latest check.
CheckOffice = Callable[[], QuerySet]
# (user, person, pk) -> whether the user may open that record and the person was checked in it.
Source = Callable[[Any, Any, int], bool]

_seen_at: list[SeenAt] = []
_check_office: list[CheckOffice] = []
_sources: dict[str, Source] = {}


def _one(providers: list, provider, what: str) -> None:
    if providers and providers[0] is not provider:
        raise ImproperlyConfigured(f"two providers of {what}")
    providers[:] = [provider]


def provide_seen_at(provider: SeenAt) -> SeenAt:
    _one(_seen_at, provider, "who was seen at a place")
    return provider


def provide_check_office(provider: CheckOffice) -> CheckOffice:
    _one(_check_office, provider, "the office of a person's latest check")
    return provider


def provide_source(kind: str, provider: Source) -> Source:
    """A kind of record (`activity`, `report`) a link to a person may come from."""
    if _sources.get(kind, provider) is not provider:
        raise ImproperlyConfigured(f"two providers of the source {kind!r}")
    _sources[kind] = provider
    return provider


def seen_at(places: QuerySet) -> Q:
    """Persons checked at one of the places (nobody without a provider)."""
    return _seen_at[0](places) if _seen_at else Q(pk__in=[])


def check_office() -> QuerySet | None:
    return _check_office[0]() if _check_office else None


def source_kinds() -> list[str]:
    return sorted(_sources)


def came_from(kind: str, user, person, pk: int) -> bool:
    """The user may open that activity / report and the person was checked in it."""
    provider = _sources.get(kind)
    return provider is not None and provider(user, person, pk)
