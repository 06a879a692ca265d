"""The registry lists' rows (person search results, permit warnings and their per-office counts,
places, sponsors) written in one pass: the markup their template loops gave, every text escaped
and every number localised as the templates do it, without a template variable lookup per
field. The loops they replace are kept in registry/tests/test_list_rows.py, which renders both
with hostile values in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django_countries.fields import Country

from silahap.registry.models import Place, Sponsor

register = template.Library()

# An id no database holds, replaced in the one reversed URL by each row's own.
_ANY = 987654321


def _text(value: object) -> str:
    """What `{{ value }}` writes: localised, escaped unless already safe; None as "None"."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        # What localize gives a whole number without grouping, minus its format lookups (they
        # were most of the warnings' per-office table: five numbers a row, 125 rows).
        return str(value)
    value = localize(value)
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _by_id(name: str) -> Callable[[object], str]:
    url = reverse(name, args=[_ANY])
    return lambda pk: escape(url.replace(str(_ANY), str(pk)))


def _display(model, field: str) -> Callable[[object], str]:
    """What `get_<field>_display()` says, with the labels translated once per call, not per
    row (Django hashes every lazy label of the field for each row)."""
    labels = {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
    return lambda value: labels.get(value, str(value))


def _day(value: datetime.date | None) -> str:
    """`{{ value|date:"d-m-Y" }}` of a date: digits only, the same in every language."""
    if value is None:
        return ""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def _country_names() -> Callable[[Country], str]:
    """A nationality's name, looked up once per country per call, not once per row."""
    names: dict[str, str] = {}

    def name(country: Country) -> str:
        if country.code not in names:
            names[country.code] = _text(country.name)
        return names[country.code]

    return name


def _written(rows: Iterable[str]) -> SafeString:
    return mark_safe("".join(rows))  # noqa: S308 - every value in the rows is escaped


@register.simple_tag
def person_results(results) -> SafeString:
    """The person search's result cards (each person with `latest_permit` and
    `permit_status` set by the view, documents prefetched)."""
    href = _by_id("registry:person_detail")
    country = _country_names()
    status_labels = {
        "valid": gettext("valid"),
        "expiring": gettext("expiring"),
        "expired": gettext("expired"),
    }
    until = escape(gettext("until"))
    no_end = gettext("no end date")
    badges = {"expired": " late", "expiring": " submitted"}
    rows = []
    for person in results:
        born = f" · {_day(person.birth_date)}" if person.birth_date else ""
        documents = "".join(
            f'<span data-testid="result-document">{_text(document.number)}</span> '
            for document in person.documents.all()
        )
        permit = person.latest_permit
        status = person.permit_status
        permit_text = ""
        if permit:
            ends = f" {until} {_day(permit.valid_until)}" if permit.valid_until else ""
            permit_text = (
                f" · {_text(permit.permit_type)}{ends}\n"
                f'        <span class="badge{badges.get(status, "")}" '
                f'data-testid="result-permit-status" data-status="{_text(status)}">'
                f"{escape(status_labels.get(status, no_end))}</span>\n      "
            )
        sponsor = f" · {_text(person.sponsor.name)}" if person.sponsor else ""
        rows.append(
            "\n  "
            f'<a class="activity-card" href="{href(person.pk)}" data-testid="search-result" '
            f'data-person-id="{_text(person.pk)}">\n'
            f"    <strong>{_text(person.full_name)}</strong>\n"
            f'    <span class="muted">{country(person.nationality)}{born}</span>\n'
            '    <div class="meta">\n'
            f"      {documents}\n"
            f"      {permit_text}\n"
            f"      {sponsor}\n"
            "    </div>\n"
            "  </a>\n  "
        )
    return _written(rows)


@register.simple_tag
def warning_counts(counts) -> SafeString:
    """The permit warnings' table body: expiring and overstay per office."""
    return _written(
        f'<tr data-testid="warning-count" data-office-id="{_text(row.office.pk)}" '
        f'data-expiring="{_text(row.expiring)}" data-overstay="{_text(row.overstay)}">\n'
        f"    <td>{_text(row.office.name)}</td><td>{_text(row.expiring)}</td>"
        f"<td>{_text(row.overstay)}</td></tr>"
        for row in counts
    )


@register.simple_tag
def warning_persons(persons) -> SafeString:
    """The permit warnings' person cards (`office_name`, `is_overstay` and `days` set by the
    view)."""
    href = _by_id("registry:person_detail")
    country = _country_names()
    valid_until = escape(gettext("Permit valid until"))
    rows = []
    for person in persons:
        days = person.days
        # As {% blocktranslate %}: the values escaped, the translation itself as it is.
        if person.is_overstay:
            badge = (
                '<span class="badge late">'
                + ngettext("%(days)s day of overstay", "%(days)s days of overstay", days)
                % {"days": _text(days)}
                + "</span>\n      "
            )
        else:
            badge = (
                '<span class="badge submitted">'
                + ngettext("%(days)s day left", "%(days)s days left", days) % {"days": _text(days)}
                + "</span>"
            )
        rows.append(
            "\n  "
            f'<a class="activity-card{" has-problem" if person.is_overstay else ""}" '
            f'href="{href(person.pk)}" data-testid="warning-person" '
            f'data-person-id="{_text(person.pk)}" '
            f'data-kind="{"overstay" if person.is_overstay else "expiring"}">\n'
            f"    <strong>{_text(person.full_name)}</strong> "
            f'<span class="muted">{country(person.nationality)} · '
            f"{_text(person.office_name)}</span>\n"
            f'    <div class="meta">{valid_until} {_day(person.permit_valid_until)} ·\n'
            f"      {badge}</div>\n"
            "  </a>\n  "
        )
    return _written(rows)


@register.simple_tag
def place_results(places) -> SafeString:
    """The places list's cards (regency selected with each place)."""
    href = _by_id("registry:place_detail")
    kind = _display(Place, "kind")
    rows = []
    for place in places:
        address = f" · {_text(truncatechars(place.address, 80))}" if place.address else ""
        regency = _text(place.regency.name) if place.regency else ""
        rows.append(
            "\n  "
            f'<a class="activity-card" href="{href(place.pk)}" data-testid="place-result" '
            f'data-place-id="{_text(place.pk)}">\n'
            f"    <strong>{_text(place.name)}</strong> "
            f'<span class="muted">· {_text(kind(place.kind))}</span>\n'
            f'    <div class="meta">{regency}{address}</div>\n'
            "  </a>\n  "
        )
    return _written(rows)


@register.simple_tag
def sponsor_results(sponsors, limit) -> SafeString:
    """The sponsors list's cards (each annotated with `guaranteed`, regency selected)."""
    href = _by_id("registry:sponsor_detail")
    kind = _display(Sponsor, "kind")
    at_limit = escape(gettext("at or above the limit"))
    rows = []
    for sponsor in sponsors:
        identity = f" · {_text(sponsor.identity_number)}" if sponsor.identity_number else ""
        regency = f"{_text(sponsor.regency.name)} · " if sponsor.regency else ""
        count = sponsor.guaranteed or 0
        guarantees = ngettext(
            "guarantees %(n)s foreigner now", "guarantees %(n)s foreigners now", count
        ) % {"n": _text(count)}
        over = (
            '<span class="badge late" data-testid="sponsor-at-limit">' + at_limit + "</span>"
            if sponsor.kind == "individual"
            and sponsor.guaranteed is not None
            and sponsor.guaranteed >= limit
            else ""
        )
        rows.append(
            "\n  "
            f'<a class="activity-card" href="{href(sponsor.pk)}" data-testid="sponsor-result" '
            f'data-sponsor-id="{_text(sponsor.pk)}">\n'
            f"    <strong>{_text(sponsor.name)}</strong> "
            f'<span class="muted">· {_text(kind(sponsor.kind))}{identity}</span>\n'
            f'    <div class="meta">{regency}{guarantees}\n'
            f"      {over}</div>\n"
            "  </a>\n  "
        )
    return _written(rows)
