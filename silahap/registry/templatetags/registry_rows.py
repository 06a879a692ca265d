"""The registry lists' rows (person search results, permit warnings and their per-office counts,
places, sponsors) written in one pass: the markup their template loops gave, every text escaped
and every number localised as the templates do it, without a template variable lookup per
field. The loops they replace are kept in registry/tests/test_list_rows.py, which renders both
with hostile values in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django_countries.fields import Country

from silahap import markup
from silahap.registry.models import Place, Sponsor

register = template.Library()


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
            names[country.code] = markup.text(country.name)
        return names[country.code]

    return name


@register.simple_tag
def person_results(results) -> SafeString:
    """The person search's result cards (each person with `latest_permit` and
    `permit_status` set by the view, documents prefetched)."""
    href = markup.url_by_id("registry:person_detail")
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
            f'<span data-testid="result-document">{markup.text(document.number)}</span> '
            for document in person.documents.all()
        )
        permit = person.latest_permit
        status = person.permit_status
        permit_text = ""
        if permit:
            ends = f" {until} {_day(permit.valid_until)}" if permit.valid_until else ""
            permit_text = (
                f" · {markup.text(permit.permit_type)}{ends}\n"
                f'        <span class="badge{badges.get(status, "")}" '
                f'data-testid="result-permit-status" data-status="{markup.text(status)}">'
                f"{escape(status_labels.get(status, no_end))}</span>\n      "
            )
        sponsor = f" · {markup.text(person.sponsor.name)}" if person.sponsor else ""
        rows.append(
            "\n  "
            f'<a class="activity-card" href="{href(person.pk)}" data-testid="search-result" '
            f'data-person-id="{markup.text(person.pk)}">\n'
            f"    <strong>{markup.text(person.full_name)}</strong>\n"
            f'    <span class="muted">{country(person.nationality)}{born}</span>\n'
            '    <div class="meta">\n'
            f"      {documents}\n"
            f"      {permit_text}\n"
            f"      {sponsor}\n"
            "    </div>\n"
            "  </a>\n  "
        )
    return markup.written(rows)


@register.simple_tag
def warning_counts(counts) -> SafeString:
    """The permit warnings' table body: expiring and overstay per office."""
    return markup.written(
        f'<tr data-testid="warning-count" data-office-id="{markup.text(row.office.pk)}" '
        f'data-expiring="{markup.text(row.expiring)}" '
        f'data-overstay="{markup.text(row.overstay)}">\n'
        f"    <td>{markup.text(row.office.name)}</td><td>{markup.text(row.expiring)}</td>"
        f"<td>{markup.text(row.overstay)}</td></tr>"
        for row in counts
    )


@register.simple_tag
def warning_persons(persons) -> SafeString:
    """The permit warnings' person cards (`office_name`, `is_overstay` and `days` set by the
    view)."""
    href = markup.url_by_id("registry:person_detail")
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
                % {"days": markup.text(days)}
                + "</span>\n      "
            )
        else:
            badge = (
                '<span class="badge submitted">'
                + ngettext("%(days)s day left", "%(days)s days left", days)
                % {"days": markup.text(days)}
                + "</span>"
            )
        rows.append(
            "\n  "
            f'<a class="activity-card{" has-problem" if person.is_overstay else ""}" '
            f'href="{href(person.pk)}" data-testid="warning-person" '
            f'data-person-id="{markup.text(person.pk)}" '
            f'data-kind="{"overstay" if person.is_overstay else "expiring"}">\n'
            f"    <strong>{markup.text(person.full_name)}</strong> "
            f'<span class="muted">{country(person.nationality)} · '
            f"{markup.text(person.office_name)}</span>\n"
            f'    <div class="meta">{valid_until} {_day(person.permit_valid_until)} ·\n'
            f"      {badge}</div>\n"
            "  </a>\n  "
        )
    return markup.written(rows)


@register.simple_tag
def place_results(places) -> SafeString:
    """The places list's cards (regency selected with each place)."""
    href = markup.url_by_id("registry:place_detail")
    kind = _display(Place, "kind")
    rows = []
    for place in places:
        address = f" · {markup.text(truncatechars(place.address, 80))}" if place.address else ""
        regency = markup.text(place.regency.name) if place.regency else ""
        rows.append(
            "\n  "
            f'<a class="activity-card" href="{href(place.pk)}" data-testid="place-result" '
            f'data-place-id="{markup.text(place.pk)}">\n'
            f"    <strong>{markup.text(place.name)}</strong> "
            f'<span class="muted">· {markup.text(kind(place.kind))}</span>\n'
            f'    <div class="meta">{regency}{address}</div>\n'
            "  </a>\n  "
        )
    return markup.written(rows)


@register.simple_tag
def sponsor_results(sponsors, limit) -> SafeString:
    """The sponsors list's cards (each annotated with `guaranteed`, regency selected)."""
    href = markup.url_by_id("registry:sponsor_detail")
    kind = _display(Sponsor, "kind")
    at_limit = escape(gettext("at or above the limit"))
    rows = []
    for sponsor in sponsors:
        identity = f" · {markup.text(sponsor.identity_number)}" if sponsor.identity_number else ""
        regency = f"{markup.text(sponsor.regency.name)} · " if sponsor.regency else ""
        count = sponsor.guaranteed or 0
        guarantees = ngettext(
            "guarantees %(n)s foreigner now", "guarantees %(n)s foreigners now", count
        ) % {"n": markup.text(count)}
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
            f'data-sponsor-id="{markup.text(sponsor.pk)}">\n'
            f"    <strong>{markup.text(sponsor.name)}</strong> "
            f'<span class="muted">· {markup.text(kind(sponsor.kind))}{identity}</span>\n'
            f'    <div class="meta">{regency}{guarantees}\n'
            f"      {over}</div>\n"
            "  </a>\n  "
        )
    return markup.written(rows)
