"""The evaluation pages: numbers from the rollups, drill-down keeping the period, scope and bad
input, and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from silahap.insights.tests.conftest import WEEK
from silahap.insights.tests.helpers import drain
from silahap.registry.models import ForeignNational
from silahap.reports import services as reports
from silahap.reports.tests.factories import at, field_activity, person, place

PERIOD = f"{WEEK[0].isoformat()}..{WEEK[1].isoformat()}"


def _get(client, user, url, **params):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        return client.get(url, params)


def _row(response, metric: str) -> list[str]:
    html = response.content.decode()
    match = re.search(rf'<tr data-metric="{metric}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {metric}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match[1], re.S)
    ]


def test_leader_sees_the_sections_numbers_and_members(client, week):
    response = _get(
        client, week.leader_a, reverse("insights:unit", args=[week.section_a.pk]), p=PERIOD
    )
    assert response.status_code == 200
    assert _row(response, "persons_checked")[1] == "2"
    assert _row(response, "reports_missing")[1] == "4"
    html = response.content.decode()
    # Drill-down to the team and to each officer keeps the period.
    assert f"{reverse('insights:unit', args=[week.team_a.pk])}?p={PERIOD}" in html
    assert f"{reverse('insights:officer', args=[week.officer_a.pk])}?p={PERIOD}" in html


def test_analyst_drills_from_the_region_to_one_officer(client, week):
    region = _get(
        client, week.analyst, reverse("insights:unit", args=[week.kanwil_banten.pk]), p=PERIOD
    )
    assert (
        f"{reverse('insights:unit', args=[week.office_a.pk])}?p={PERIOD}" in region.content.decode()
    )
    officer = _get(
        client, week.analyst, reverse("insights:officer", args=[week.officer_a.pk]), p=PERIOD
    )
    assert officer.status_code == 200
    assert _row(officer, "reports_late")[1] == "1"


def test_officer_sees_their_own_performance(client, week):
    response = _get(client, week.officer_a, reverse("insights:me"), p=PERIOD)
    assert response.status_code == 200
    assert "My performance" in response.content.decode()
    assert _row(response, "activities")[1] == "2"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-03-31..2025-03-01", "before its start"),
        ("2020-01-01..2025-01-01", "three years"),
        ("2025-13", "not a real date"),
        ("yesterday", "not understood"),
        ("0001-01", "outside the years"),
    ],
)
def test_a_bad_period_is_a_clear_message_not_an_error(client, people, period, message):
    response = _get(
        client, people.leader_a, reverse("insights:unit", args=[people.section_a.pk]), p=period
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_metric_or_unit_is_404(client, people):
    assert (
        _get(client, people.analyst, reverse("insights:league"), metric="nope").status_code == 404
    )
    assert _get(client, people.analyst, reverse("insights:unit", args=[999999])).status_code == 404
    # Another region's office is outside the analyst's scope: 404, as if it did not exist.
    assert (
        _get(
            client, people.analyst, reverse("insights:unit", args=[people.office_b.pk])
        ).status_code
        == 404
    )
    export = reverse("insights:unit_export", args=[people.section_a.pk, "nope", "csv"])
    assert _get(client, people.leader_a, export).status_code == 404


def _more_days(people, count: int) -> None:
    hotel = place(by=people.officer_a, name=f"Hotel {uuid.uuid4().hex[:6]}")
    for number in range(count):
        day = WEEK[0].replace(day=3 + number)
        activity = field_activity(by=people.officer_a2, started_at=at(9, day=day), place=hotel)
        reports.check_create(
            by=people.officer_a2,
            client_id=uuid.uuid4(),
            activity=activity,
            person=person(by=people.officer_a2, document=f"M{number}{uuid.uuid4().hex[:6]}"),
            verification_method="statement",
            result="compliant",
        )
        reports.report_submit(report=activity.report, by=people.officer_a2, now=at(12, day=day))
    drain()


# (viewer, route, the unit's attribute or None, query, at most this many queries). A year's
# previous period is also the same period last year: the two years are read in one grouped
# reading, as a month, its previous month and the same month last year are (four queries fewer
# than a reading per year); findings by type and checks by nationality are one query, so are
# persons checked and places visited, and a unit's members are a subquery of its officers' query.
PAGES_READ_IN_BOUNDED_QUERIES = [
    ("analyst", "insights:unit", "office_a", {"p": "2025-03"}, 20),
    # The table of members over a year: each officer's distinct persons from their runs.
    ("analyst", "insights:unit", "office_a", {"p": "2025"}, 19),
    ("leader_a", "insights:unit", "section_a", {"p": "2025"}, 22),
    ("analyst_national", "insights:unit", "dg", {"p": "2025"}, 15),
    ("analyst_national", "insights:league", None, {"p": "2025", "metric": "persons_checked"}, 9),
    ("analyst_national", "insights:league", None, {"p": "2025-03", "norm": "officer"}, 9),
]


@pytest.mark.parametrize("extra", [0, 6])
@pytest.mark.parametrize(
    ("viewer", "route", "unit", "query", "most"),
    PAGES_READ_IN_BOUNDED_QUERIES,
    ids=[
        "office-month",
        "office-year",
        "section-year",
        "national-year",
        "league-distinct-persons-year",
        "league-month",
    ],
)
def test_page_queries_do_not_grow_with_the_data(
    client, week, django_assert_max_num_queries, extra, viewer, route, unit, query, most
):
    _more_days(week, extra)
    client.force_login(getattr(week, viewer))
    args = [getattr(week, unit).pk] if unit else []
    with django_assert_max_num_queries(most):
        response = client.get(reverse(route, args=args), query)
    assert response.status_code == 200


def test_home_of_an_analyst_shows_numbers_and_links(client, people):
    response = _get(client, people.analyst, reverse("home"))
    html = response.content.decode()
    assert 'data-testid="insights-home"' in html
    assert reverse("insights:unit", args=[people.kanwil_banten.pk]) in html
    assert 'data-testid="nav-insights"' in html


def test_partner_has_no_menu_link(client, people):
    response = _get(client, people.partner, reverse("home"))
    assert 'data-testid="nav-insights"' not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
@pytest.mark.parametrize("period", ["2025-03", "2025"])
def test_officer_page_queries_do_not_grow_with_the_data(
    client, week, django_assert_max_num_queries, extra, period
):
    _more_days(week, extra)
    client.force_login(week.officer_a2)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("insights:me"), {"p": period})
    assert response.status_code == 200


def test_league_per_officer_and_per_thousand_foreigners(client, week):
    # Two persons with a permit valid at the end of March, whose latest check was by office A.
    persons = ForeignNational.objects.filter(checks__activity__report__officer=week.officer_a)
    ForeignNational.objects.filter(pk__in=persons.values("pk")).update(
        last_check_office=week.office_a, permit_valid_until=datetime.date(2026, 1, 1)
    )
    client.force_login(week.analyst_national)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    common = {"p": "2025-03", "metric": "activities", "format": "csv"}
    per_officer = client.get(reverse("insights:league"), {**common, "norm": "officer"})
    rows = {row[1]: row for row in csv.reader(io.StringIO(per_officer.content.decode()))}
    # Office A: two activities, two officers with a membership in March (officer_a, officer_a2).
    assert rows["Kanim Tangerang"][4:] == ["2", "2", "1.0"]
    per_foreigners = client.get(reverse("insights:league"), {**common, "norm": "foreigners"})
    rows = {row[1]: row for row in csv.reader(io.StringIO(per_foreigners.content.decode()))}
    assert rows["Kanim Tangerang"][6] == "1000.0"


@pytest.mark.parametrize("level", ["office", "region"])
def test_league_counts_foreigners_valid_at_the_last_day_of_any_period(client, week, level):
    # A custom period ending on the 20th: permits ending that day and later count, in that
    # month (the kept day counts) or after it (the kept month counts); the day before does not.
    ends = {
        "Before": datetime.date(2025, 3, 19),
        "On the day": datetime.date(2025, 3, 20),
        "Same month": datetime.date(2025, 3, 31),
        "Next month": datetime.date(2025, 4, 1),
        "Next year": datetime.date(2026, 2, 14),
    }
    for number, (name, valid_until) in enumerate(ends.items()):
        found = person(by=week.officer_a, name=name, document=f"V{number:07}")
        ForeignNational.objects.filter(pk=found.pk).update(
            last_check_office=week.office_a, permit_valid_until=valid_until
        )
    merged = person(by=week.officer_a, name="Merged away", document="V9999999")
    ForeignNational.objects.filter(pk=merged.pk).update(
        last_check_office=week.office_a,
        permit_valid_until=datetime.date(2025, 6, 1),
        merged_into=found,
    )
    client.force_login(week.analyst_national)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("insights:league"),
            {
                "p": "2025-03-03..2025-03-20",
                "metric": "activities",
                "format": "csv",
                "level": level,
            },
        )
    # The kept counts, never the persons (a national registry's millions).
    assert not [q for q in captured.captured_queries if "registry_foreignnational" in q["sql"]]
    rows = {row[1]: row for row in csv.reader(io.StringIO(response.content.decode()))}
    name = "Kanim Tangerang" if level == "office" else "Kanwil Banten"
    assert rows[name][5] == "4"
    # The last day counted: a period ending on the 31st leaves out the permit ending the 20th.
    response = client.get(
        reverse("insights:league"),
        {"p": "2025-03", "metric": "activities", "format": "csv", "level": level},
    )
    rows = {row[1]: row for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows[name][5] == "3"


def test_region_league_counts_distinct_persons_over_its_whole_subtree(client, week):
    # Banten holds one office: the region's distinct persons, month and year, are its office's
    # (read from the subtree runs on PostgreSQL, from the sets on SQLite).
    client.force_login(week.analyst_national)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def value(level, period, name):
        response = client.get(
            reverse("insights:league"),
            {"p": period, "metric": "persons_checked", "format": "csv", "level": level},
        )
        rows = {row[1]: row for row in csv.reader(io.StringIO(response.content.decode()))}
        return rows[name][3]

    for period in ("2025-03", "2025"):
        office = value("office", period, "Kanim Tangerang")
        assert office not in ("", "0")
        assert value("region", period, "Kanwil Banten") == office


def test_leader_home_shows_the_units_numbers(client, week):
    response = _get(client, week.leader_a, reverse("home"))
    html = response.content.decode()
    assert 'data-testid="insights-home"' in html
    assert reverse("insights:unit", args=[week.section_a.pk]) in html


def test_the_previous_period_and_last_year_sit_beside_the_period(client, week):
    url = reverse("insights:unit", args=[week.section_a.pk])
    april = _row(_get(client, week.leader_a, url, p="2025-04"), "activities")
    assert april[1:4] == ["0", "2", "-100%"]  # April: none; March: two
    next_year = _row(_get(client, week.leader_a, url, p="2026-03"), "persons_checked")
    assert next_year[4] == "2"  # March 2025, a year before March 2026


def test_each_role_sees_only_its_scope(client, people):
    def status(user, name, *args):
        return _get(client, user, reverse(name, args=args)).status_code

    # A leader: their subtree only; another office's officer and unit are 404.
    assert status(people.leader_a, "insights:officer", people.officer_b.pk) == 404
    assert status(people.leader_a, "insights:unit", people.office_a.pk) == 404
    assert status(people.leader_a, "insights:unit", people.team_a.pk) == 200
    # An officer: themselves only.
    assert status(people.officer_a, "insights:officer", people.officer_a2.pk) == 404
    assert status(people.officer_a, "insights:unit", people.team_a.pk) == 404
    # The regional analyst: the region; the national analyst: everything.
    assert status(people.analyst, "insights:unit", people.kanwil_bali.pk) == 404
    assert status(people.analyst_national, "insights:unit", people.office_b.pk) == 200
    assert status(people.analyst_national, "insights:officer", people.officer_b.pk) == 200
    # Partners see nothing here, not even their own page.
    assert status(people.partner, "insights:me") == 404
    assert status(people.partner, "insights:league") == 404


def test_the_period_box_says_periode_in_indonesian_not_a_warrants_validity(client, people):
    """The word "Period" is three in Indonesian: an evaluation's "Periode", an operation's
    "Waktu pelaksanaan", a warrant's "Masa berlaku" (the word the label first borrowed)."""
    client.force_login(people.leader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    with translation.override("id"):
        pages = {
            "Periode": reverse("insights:unit", args=[people.section_a.pk]),
            "Waktu pelaksanaan": reverse("operations:operation_list"),
            "Masa berlaku": reverse("supervision:warrant_list"),
        }
        for word, url in pages.items():
            html = client.get(url).content.decode()
            assert re.search(rf"<(label|th)[^>]*>{word}</(label|th)>", html), (word, url)
        insights = client.get(pages["Periode"]).content.decode()
    assert "Masa berlaku" not in insights
