"""Sections a higher layer adds to a lower layer's page, without the lower page importing it.

A page names a slot (`{% load sections %}{% sections "reports.today" %}`); an app above registers
what goes there from its AppConfig.ready():

    sections.add("reports.today", name="supervision.officer_tasks",
                 template="supervision/_officer_tasks.html", context=lambda request: {...})

`context` returns the template's context, or None to leave the section out for this request.
Sections render in `order`, then by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

ContextFunction = Callable[[HttpRequest], dict | None]


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
