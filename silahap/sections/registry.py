"""Sections a higher layer adds to a lower layer's page, without the lower page importing it.

A page names a slot (`{% load sections %}{% sections "reports.today" %}`); an app above registers
what goes there from its AppConfig.ready():

    sections.add("reports.today", name="supervision.officer_tasks",
                 template="supervision/_officer_tasks.html", context=lambda request: {...})

`context` returns the template's context, or None to leave the section out for this request.
Sections render in `order`, then by name.

A page about one record names it to its slot, and every section's context receives it as a
keyword: `{% sections "registry.person_detail" person=person %}` calls `context(request,
person=person)`. A view that must know what the sections show before the page renders (its
audit event counts what was read) prepares them itself and hands the result to the template:

    prepared = sections.prepare("registry.place_detail", request, place=place)
    audit.record(..., summary=sections.summary(prepared))
    # template: {% sections prepared %}

A section's context may carry `audit_summary`, a dict the page adds to its audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

ContextFunction = Callable[..., dict | None]  # (request, **the page's records) -> context
SUMMARY = "audit_summary"


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    context: ContextFunction
    order: int = 100


_slots: dict[str, dict[str, Section]] = {}


def add(slot: str, *, name: str, template: str, context: ContextFunction, order: int = 100) -> None:
    """Put a section in a page's slot; the same name twice is a mistake, not a replacement."""
    by_name = _slots.setdefault(slot, {})
    existing = by_name.get(name)
    if existing is not None and (existing.template, existing.context) != (template, context):
        raise ImproperlyConfigured(f"two sections named {name!r} in {slot}")
    by_name[name] = Section(name=name, template=template, context=context, order=order)


def remove(slot: str, *, name: str) -> None:
    _slots.get(slot, {}).pop(name, None)


def for_slot(slot: str) -> list[Section]:
    return sorted(_slots.get(slot, {}).values(), key=lambda section: (section.order, section.name))


@dataclass(frozen=True)
class Prepared:
    """A section whose context was computed for one request."""

    section: Section
    context: dict


def prepare(slot: str, request: HttpRequest, **records: object) -> list[Prepared]:
    """The slot's sections with their contexts for this request, those that return None left
    out; `records` (the page's objects) are passed to every context function."""
    prepared = []
    for section in for_slot(slot):
        values = section.context(request, **records)
        if values is not None:
            prepared.append(Prepared(section=section, context=values))
    return prepared


def summary(prepared: list[Prepared]) -> dict:
    """What the prepared sections add to the page's audit event (their `audit_summary`)."""
    merged: dict = {}
    for part in prepared:
        merged.update(part.context.get(SUMMARY, {}))
    return merged
