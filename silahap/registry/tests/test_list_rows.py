"""The registry lists' rows written in one pass (registry_rows) give the markup their template
loops gave: the loops are kept here as the reference and rendered beside them, with hostile
values, blanks and both languages."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from silahap.accounts.models import OrgUnit
from silahap.registry.models import (
    ForeignNational,
    Place,
    Regency,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from silahap.registry.warnings import OfficeWarnings

HOSTILE = "<script>alert(\"x\")</script> & 'Co'"

OLD = {
    "person": """{% load i18n %}{% for person in results %}
  <a class="activity-card" href="{{ person.get_absolute_url }}" data-testid="search-result" data-person-id="{{ person.pk }}">
    <strong>{{ person.full_name }}</strong>
    <span class="muted">{{ person.nationality.name }}{% if person.birth_date %} · {{ person.birth_date|date:"d-m-Y" }}{% endif %}</span>
    <div class="meta">
      {% for document in person.documents.all %}<span data-testid="result-document">{{ document.number }}</span> {% endfor %}
      {% if person.latest_permit %} · {{ person.latest_permit.permit_type }}{% if person.latest_permit.valid_until %} {% translate "until" %} {{ person.latest_permit.valid_until|date:"d-m-Y" }}{% endif %}
        <span class="badge{% if person.permit_status == 'expired' %} late{% elif person.permit_status == 'expiring' %} submitted{% endif %}" data-testid="result-permit-status" data-status="{{ person.permit_status }}">{% if person.permit_status == "valid" %}{% translate "valid" %}{% elif person.permit_status == "expiring" %}{% translate "expiring" %}{% elif person.permit_status == "expired" %}{% translate "expired" %}{% else %}{% translate "no end date" %}{% endif %}</span>
      {% endif %}
      {% if person.sponsor %} · {{ person.sponsor.name }}{% endif %}
    </div>
  </a>
  {% endfor %}""",  # noqa: E501
    "warning_count": """{% for row in counts %}<tr data-testid="warning-count" data-office-id="{{ row.office.pk }}" data-expiring="{{ row.expiring }}" data-overstay="{{ row.overstay }}">
    <td>{{ row.office.name }}</td><td>{{ row.expiring }}</td><td>{{ row.overstay }}</td></tr>{% endfor %}""",  # noqa: E501
    "warning_person": """{% load i18n %}{% for person in persons %}
  <a class="activity-card{% if person.is_overstay %} has-problem{% endif %}" href="{{ person.get_absolute_url }}" data-testid="warning-person" data-person-id="{{ person.pk }}" data-kind="{{ person.is_overstay|yesno:'overstay,expiring' }}">
    <strong>{{ person.full_name }}</strong> <span class="muted">{{ person.nationality.name }} · {{ person.office_name }}</span>
    <div class="meta">{% translate "Permit valid until" %} {{ person.permit_valid_until|date:"d-m-Y" }} ·
      {% if person.is_overstay %}<span class="badge late">{% blocktranslate count days=person.days %}{{ days }} day of overstay{% plural %}{{ days }} days of overstay{% endblocktranslate %}</span>
      {% else %}<span class="badge submitted">{% blocktranslate count days=person.days %}{{ days }} day left{% plural %}{{ days }} days left{% endblocktranslate %}</span>{% endif %}</div>
  </a>
  {% endfor %}""",  # noqa: E501
    "place": """{% for place in places %}
  <a class="activity-card" href="{{ place.get_absolute_url }}" data-testid="place-result" data-place-id="{{ place.pk }}">
    <strong>{{ place.name }}</strong> <span class="muted">· {{ place.get_kind_display }}</span>
    <div class="meta">{{ place.regency.name }}{% if place.address %} · {{ place.address|truncatechars:80 }}{% endif %}</div>
  </a>
  {% endfor %}""",  # noqa: E501
    "sponsor": """{% load i18n %}{% for sponsor in sponsors %}
  <a class="activity-card" href="{% url 'registry:sponsor_detail' sponsor.pk %}" data-testid="sponsor-result" data-sponsor-id="{{ sponsor.pk }}">
    <strong>{{ sponsor.name }}</strong> <span class="muted">· {{ sponsor.get_kind_display }}{% if sponsor.identity_number %} · {{ sponsor.identity_number }}{% endif %}</span>
    <div class="meta">{% if sponsor.regency %}{{ sponsor.regency.name }} · {% endif %}{% blocktranslate count n=sponsor.guaranteed|default:0 %}guarantees {{ n }} foreigner now{% plural %}guarantees {{ n }} foreigners now{% endblocktranslate %}
      {% if sponsor.kind == "individual" and sponsor.guaranteed >= limit %}<span class="badge late" data-testid="sponsor-at-limit">{% translate "at or above the limit" %}</span>{% endif %}</div>
  </a>
  {% endfor %}""",  # noqa: E501
}
NEW = {
    "person": "{% load registry_rows %}{% person_results results %}",
    "warning_count": "{% load registry_rows %}{% warning_counts counts %}",
    "warning_person": "{% load registry_rows %}{% warning_persons persons %}",
    "place": "{% load registry_rows %}{% place_results places %}",
    "sponsor": "{% load registry_rows %}{% sponsor_results sponsors limit %}",
}


def _persons() -> list[ForeignNational]:
    sponsor = Sponsor(pk=5, name=HOSTILE, kind="corporation")
    persons = []
    for index, (status, born, ends, documents) in enumerate(
        [
            ("valid", datetime.date(1985, 3, 1), datetime.date(2027, 1, 31), ["E<1>", 'X"2']),
            ("expiring", None, datetime.date(2026, 12, 20), []),
            ("expired", datetime.date(987, 6, 5), datetime.date(2020, 2, 29), ["A&B"]),
            (None, None, None, ["Z9"]),
            ("no permit", None, None, []),
        ]
    ):
        person = ForeignNational(
            pk=123456 + index,
            full_name=HOSTILE if index % 2 == 0 else "Li Na",
            nationality=["CN", "XA", "DE", "ZZ", "ID"][index],
            birth_date=born,
            sponsor=sponsor if index % 2 == 0 else None,
        )
        person._prefetched_objects_cache = {
            "documents": [TravelDocument(number=number) for number in documents]
        }
        permit = StayPermit(permit_type='ITAS"<', valid_until=ends)
        person.latest_permit = None if status == "no permit" else permit
        person.permit_status = None if status == "no permit" else status
        persons.append(person)
    return persons


def _warned() -> list[ForeignNational]:
    persons = []
    for index, (overstay, days) in enumerate([(True, 1), (True, 400), (False, 0), (False, 1)]):
        person = ForeignNational(
            pk=7 + index * 1000,
            full_name=HOSTILE,
            nationality=["CN", "ZZ", "XA", "US"][index],
            permit_valid_until=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
        )
        person.office_name = HOSTILE if index else ""
        person.is_overstay = overstay
        person.days = days
        persons.append(person)
    return persons


def _places() -> list[Place]:
    regency = Regency(code="36.71", name=HOSTILE)
    return [
        Place(pk=1, name=HOSTILE, kind="hotel", regency=regency, address=HOSTILE * 5),
        Place(pk=22222, name="Apartemen 'X'", kind="<odd>", regency=regency, address=""),
        Place(pk=3, name="", kind="restaurant", regency=regency, address="a" * 80),
    ]


def _sponsors() -> list[Sponsor]:
    rows = []
    for index, (kind, guaranteed, identity, regency) in enumerate(
        [
            ("individual", 5, "3671<0>", Regency(code="36.71", name=HOSTILE)),
            ("individual", 4, "", None),
            ("individual", None, "", None),
            ("corporation", 12, HOSTILE, Regency(code="51.71", name="Kota Denpasar")),
            ("corporation", 1, "", None),
            ("individual", 0, "", None),
        ]
    ):
        sponsor = Sponsor(pk=40 + index, kind=kind, name=HOSTILE, identity_number=identity)
        sponsor.regency = regency
        sponsor.guaranteed = guaranteed
        rows.append(sponsor)
    return rows


def _counts() -> list[OfficeWarnings]:
    return [
        OfficeWarnings(office=OrgUnit(pk=3, name=HOSTILE), expiring=0, overstay=12345),
        OfficeWarnings(office=OrgUnit(pk=41234, name="Kantor Imigrasi 'Tangerang'"), expiring=7),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", list(OLD))
def test_rows_written_in_one_pass_are_the_loops_rows(kind, language):
    context = {
        "results": _persons(),
        "counts": _counts(),
        "persons": _warned(),
        "places": _places(),
        "sponsors": _sponsors(),
        "limit": 5,
    }
    with translation.override(language):
        expected = Template(OLD[kind]).render(Context(context))
        written = Template(NEW[kind]).render(Context(context))
    assert written == expected
    assert "<script>" not in written
    assert "&lt;script&gt;" in written


def test_the_rows_say_what_the_page_says_in_indonesian():
    with translation.override("id"):
        written = Template(NEW["warning_person"]).render(Context({"persons": _warned()}))
        sponsors = Template(NEW["sponsor"]).render(Context({"sponsors": _sponsors(), "limit": 5}))
    assert "overstay 400 hari" in written
    assert "menjamin 12 orang asing saat ini" in sponsors
    assert sponsors.count('data-testid="sponsor-at-limit"') == 1


def test_no_rows_write_nothing():
    for kind, tag in NEW.items():
        context = {name: [] for name in ("results", "counts", "persons", "places", "sponsors")}
        assert Template(tag).render(Context({**context, "limit": 5})) == "", kind


@pytest.mark.parametrize("language", ["id", "en"])
def test_numbers_are_grouped_as_the_loop_groups_them_when_the_settings_say_so(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    context = {"counts": _counts(), "sponsors": _sponsors(), "limit": 5}
    written = {}
    with translation.override(language):
        for kind in ("warning_count", "sponsor"):
            written[kind] = Template(NEW[kind]).render(Context(context))
            assert written[kind] == Template(OLD[kind]).render(Context(context))
    assert ("12.345" if language == "id" else "12,345") in written["warning_count"]
