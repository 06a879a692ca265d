"""Pieces of HTML written in Python exactly as a template writes them, for the long table and
list bodies that template tags write in one pass (a template's variable lookups and filters cost
more than the page's queries once a list has a few dozen rows). Each helper gives what the
template syntax named beside it gives: the same escaping, localisation and time zone."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

# An id no database holds, replaced in the one reversed URL by each row's own.
_ANY = 987654321


def text(value: object) -> str:
    """`{{ value }}`: localised, then escaped unless already safe."""
    if type(value) is str:  # most cells: localize() returns a plain string as it is
        return html.escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        # What localize gives a whole number without grouping, minus its format lookups (they
        # were most of the registry warnings' per-office table: five numbers a row, 125 rows).
        return str(value)
    return str(conditional_escape(str(formats.localize(value))))


def written(rows: Iterable[str]) -> SafeString:
    """A table or list body of rows whose every value went through these helpers."""
    return mark_safe("".join(rows))  # noqa: S308 - every value in the rows is escaped


# The format characters Django's dateformat knows, and how the few the tables use are written
# (django/utils/dateformat.py); a format with any other, or with a backslash, goes to Django.
_FORMAT_CHARACTERS = re.compile(r"([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_TIME_CHARACTERS = {"H", "i"}
Names = tuple[list[str], list[str]]
Writer = Callable[[Any, Names], str]
_WRITERS: dict[str, Writer] = {
    "d": lambda value, _names: f"{value.day:02d}",
    "D": lambda value, names: names[1][value.weekday()],
    "j": lambda value, _names: str(value.day),
    "m": lambda value, _names: f"{value.month:02d}",
    "M": lambda value, names: names[0][value.month],
    "Y": lambda value, _names: f"{value.year:04d}",
    "H": lambda value, _names: f"{value.hour:02d}",
    "i": lambda value, _names: f"{value.minute:02d}",
}


@cache
def _plan(format: str) -> list[str | Writer] | None:
    if "\\" in format:
        return None
    pieces = _FORMAT_CHARACTERS.split(format)
    plan: list[str | Writer] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            if piece:
                plan.append(piece)
        elif piece in _WRITERS:
            plan.append(_WRITERS[piece])
        else:
            return None
    return plan


@cache
def _names(language: str | None) -> Names:
    # dateformat's "M" and "D", translated once per language instead of once per date.
    with translation.override(language):
        months = [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]
        weekdays = [str(WEEKDAYS_ABBR[day]) for day in range(7)]
    return months, weekdays


def _format(value: Any, format: str, *, fallback: Callable[[Any, str], str]) -> str:
    plan = _plan(format)
    if plan is None or (
        not isinstance(value, datetime.datetime)
        and any(character in _TIME_CHARACTERS for character in format)
    ):
        return fallback(value, format)
    names = _names(translation.get_language())
    return "".join(piece if isinstance(piece, str) else piece(value, names) for piece in plan)


def _local(value: Any) -> Any:
    # As templates do before a date or time filter (django.utils.timezone.template_localtime).
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date(value: datetime.date | datetime.datetime | None, format: str) -> str:
    """`{{ value|date:format }}`: an aware time is shown in the current time zone."""
    if value is None:
        return ""
    return text(_format(_local(value), format, fallback=formats.date_format))


def time(value: datetime.datetime | datetime.time | None, format: str) -> str:
    """`{{ value|time:format }}`."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and set(format) & set("dDjmMY"):
        return text(formats.time_format(_local(value), format))
    return text(_format(_local(value), format, fallback=formats.time_format))


def translate(message: str) -> str:
    """`{% translate message %}`."""
    return str(conditional_escape(gettext(message)))


def blocktranslate(message: str, **values: object) -> str:
    """`{% blocktranslate with name=value %}message{% endblocktranslate %}`, the message written
    with `%(name)s` as blocktranslate writes its variables."""
    return gettext(message) % {name: text(value) for name, value in values.items()}


def count(singular: str, plural: str, number: int, name: str = "n") -> str:
    """`{% blocktranslate count name=number %}singular{% plural %}plural{% endblocktranslate %}`,
    the messages written with `%(name)s` as blocktranslate writes its variables."""
    return ngettext(singular, plural, number) % {name: text(number)}


def url_by_id(name: str) -> Callable[[object], str]:
    """`{% url name pk %}` for many rows: reversed once, each row's id put in its place."""
    url = reverse(name, args=[_ANY])
    return lambda pk: text(url.replace(str(_ANY), str(pk)))
