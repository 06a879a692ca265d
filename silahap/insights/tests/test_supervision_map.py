"""The supervision map: cells zoomed out, points zoomed in, closed activities never shown, the
viewer's scope only, and a feed whose query count does not grow with the data."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.db.models import Count, F, FloatField, QuerySet
from django.db.models.functions import Cast, Floor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.insights import supervision_map
from silahap.insights.periods import parse
from silahap.insights.queries import whole_months
from silahap.insights.tests.helpers import drain
from silahap.reports import services as reports
from silahap.reports.models import Activity, ViolationType
from silahap.reports.tests.factories import WITA, at, field_activity, person, place
from silahap.supervision.tests.helpers import explain

DAY = datetime.date(2025, 3, 11)


def _filed(people, count: int, *, closed: bool = False, day: datetime.date = DAY) -> list[Activity]:
    made = []
    hotel = place(by=people.officer_a, name=f"Hotel Peta {uuid.uuid4().hex[:6]}")
    for number in range(count):
        activity = field_activity(
            by=people.officer_a,
            started_at=at(8 + number % 10, day=day - datetime.timedelta(days=number // 10)),
            place=hotel,
            latitude=f"-6.{178 + number:03d}",
            longitude="106.630",
            location_source="gps",
            classification=Activity.Classification.CLOSED if closed else "open",
        )
        made.append(activity)
    for report in {activity.report for activity in made}:
        report.refresh_from_db()
        if report.first_submitted_at is None:
            reports.report_submit(report=report, by=people.officer_a, now=at(19, day=day))
    # The worker's drain: the map's cells and regency table are read from the rollups.
    drain()
    return made


def _spot(officer, started_at, name: str, latitude: str, longitude: str) -> Activity:
    """An open activity with a GPS point at a new place of that name."""
    return field_activity(
        by=officer,
        started_at=started_at,
        place=place(by=officer, name=name),
        latitude=latitude,
        longitude=longitude,
        location_source="gps",
    )


def _feed(client, user, **params):
    client.force_login(user)
    return client.get(reverse("insights:map_feed"), {"p": "2025-03", **params})


def test_zoomed_out_the_feed_answers_counted_cells(client, people):
    _filed(people, 3)
    answer = _feed(client, people.leader_a, zoom=5).json()
    assert answer["kind"] == "cells"
    assert sum(cell["activities"] for cell in answer["cells"]) == 3


def test_the_feed_answers_only_the_cells_the_view_shows(client, people):
    _filed(people, 3)  # in Tangerang
    medan = _spot(
        people.officer_a,
        at(9, day=DAY + datetime.timedelta(days=1)),
        "Hotel Medan",
        "3.595",
        "98.672",
    )
    next_day = DAY + datetime.timedelta(days=1)
    reports.report_submit(report=medan.report, by=people.officer_a, now=at(20, day=next_day))
    drain()
    tangerang = {"south": -6.4, "north": -6.0, "west": 106.4, "east": 106.9}
    for zoom in (5, 9):
        everywhere = _feed(client, people.analyst_national, zoom=zoom).json()["cells"]
        assert sum(cell["activities"] for cell in everywhere) == 4
        seen = _feed(client, people.analyst_national, zoom=zoom, **tangerang).json()["cells"]
        assert sum(cell["activities"] for cell in seen) == 3, zoom
        assert all(cell["south"] <= -6.0 and cell["north"] >= -6.4 for cell in seen)


def test_zoomed_in_the_feed_answers_points_of_the_box(client, people):
    _filed(people, 2)
    box = {"south": -6.3, "north": -6.0, "west": 106.5, "east": 106.8}
    answer = _feed(client, people.leader_a, zoom=14, **box).json()
    assert answer["kind"] == "points"
    assert len(answer["points"]) == 2


def test_closed_activities_never_appear_in_cells_or_points(client, people):
    _filed(people, 1)
    _filed(people, 2, closed=True, day=DAY + datetime.timedelta(days=1))
    cells = _feed(client, people.analyst_national, zoom=5).json()["cells"]
    assert sum(cell["activities"] for cell in cells) == 1
    box = {"south": -7, "north": -6, "west": 106, "east": 107}
    assert len(_feed(client, people.leader_a, zoom=15, **box).json()["points"]) == 1


def test_another_regions_leader_sees_nothing_of_it(client, people):
    _filed(people, 2)
    assert _feed(client, people.leader_b, zoom=5).json()["cells"] == []
    response = _feed(client, people.leader_b, zoom=5, unit=people.office_a.pk)
    assert response.status_code == 404


def test_bad_map_input_is_a_clear_answer(client, people):
    assert _feed(client, people.leader_a, zoom=99).status_code == 400
    client.force_login(people.leader_a)
    page = client.get(reverse("insights:map"), {"p": "2025-02-30..2025-01-01"})
    assert page.status_code == 400


@pytest.mark.parametrize("count", [2, 12])
def test_feed_and_page_queries_do_not_grow(client, people, django_assert_max_num_queries, count):
    _filed(people, count)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("insights:map_feed"), {"p": "2025-03", "zoom": 6}).status_code == 200
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("insights:map"), {"p": "2025-03"}).status_code == 200


def _list(client, user, **params):
    client.force_login(user)
    return client.get(reverse("insights:map_list"), {"p": "2025-03", **params})


def test_a_cell_lists_exactly_what_it_counted(client, people):
    _filed(people, 3)
    _filed(people, 1, closed=True, day=datetime.date(2025, 3, 12))
    cell = _feed(client, people.leader_a, zoom=5).json()["cells"][0]
    box = {side: cell[side] for side in ("south", "west", "north", "east")}
    page = _list(client, people.leader_a, **box)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="map-list-row"') == cell["activities"] == 3
    # A box elsewhere holds nothing; the closed activity is never listed.
    far = _list(client, people.leader_a, south=1, west=120, north=2, east=121)
    assert far.content.decode().count('data-testid="map-list-row"') == 0


def test_the_list_beside_the_map_holds_every_point_paged(client, people, monkeypatch):
    monkeypatch.setattr(supervision_map, "LIST_PAGE", 2)
    _filed(people, 5)
    client.force_login(people.leader_a)
    map_page = client.get(reverse("insights:map"), {"p": "2025-03"}).content.decode()
    assert 'data-testid="map-list-link"' in map_page
    seen = 0
    for number in (1, 2, 3):
        page = _list(client, people.leader_a, page=number).content.decode()
        seen += page.count('data-testid="map-list-row"')
        assert ('data-testid="map-list-next"' in page) == (number < 3)
    assert seen == 5
    # Outside the viewer's scope: nothing (officer_b's office is another).
    assert _list(client, people.officer_b).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_queries_do_not_grow_with_the_points(
    client, people, django_assert_max_num_queries, count
):
    _filed(people, count)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("insights:map_list"), {"p": "2025-03"})
    assert response.content.decode().count('data-testid="map-list-row"') == count


def cells(rows: QuerySet, zoom: int) -> list[dict]:
    """The cells of `zoom` counted from the activities themselves: what the rollups must give."""
    size = supervision_map.cell_size(zoom)
    grouped = (
        rows.annotate(
            cell_y=Floor(Cast(F("latitude"), FloatField()) / size),
            cell_x=Floor(Cast(F("longitude"), FloatField()) / size),
        )
        .values("cell_y", "cell_x")
        .annotate(activities=Count("pk"))
        .order_by()
    )
    return [
        supervision_map._cell(int(row["cell_y"]), int(row["cell_x"]), row["activities"], size)
        for row in grouped
    ]


def by_regency(rows: QuerySet, limit: int = 30) -> list[tuple[str, int, int, int]]:
    """The table beside the map counted from the activities themselves: activities, all their
    checks and all their findings per regency/city, what the rollups must give."""
    grouped = (
        rows.values("place__regency__name")
        .annotate(
            activities=Count("pk", distinct=True),
            checks=Count("checks", distinct=True),
            findings=Count("findings", distinct=True),
        )
        .order_by("-activities", "place__regency__name")[:limit]
    )
    return [
        (row["place__regency__name"] or "—", row["activities"], row["checks"], row["findings"])
        for row in grouped
    ]


def _mixed_map(people) -> None:
    """Activities over several cells on both sides of the equator and of a coarse cell's edge,
    with findings of two types, checks of two nationalities, a closed one and one without a
    point; filed on two days of March."""
    overstay = ViolationType.objects.get(code="overstay_lt_60")
    other = ViolationType.objects.exclude(pk=overstay.pk).first()
    visitors = [
        person(by=people.officer_a, name="Peta Satu", document="M1000001"),
        person(by=people.officer_a, name="Peta Dua", document="M1000002"),
    ]
    visitors[1].nationality = "CN"
    visitors[1].save(update_fields=["nationality"])
    spots = [
        ("-6.178", "106.630"),
        ("-6.179", "106.631"),
        ("-0.001", "109.330"),
        ("0.001", "109.330"),
        ("-8.650", "115.216"),
        ("3.595", "98.672"),
    ]
    for number, (latitude, longitude) in enumerate(spots):
        day = DAY - datetime.timedelta(days=number % 2)
        activity = field_activity(
            by=people.officer_a,
            started_at=at(8 + number, day=day),
            place=place(by=people.officer_a, name=f"Tempat {number}"),
            latitude=latitude,
            longitude=longitude,
            location_source="gps",
            classification=Activity.Classification.CLOSED if number == 5 else "open",
        )
        for who in visitors[: 1 + number % 2]:
            check = reports.check_create(
                by=people.officer_a,
                client_id=uuid.uuid4(),
                activity=activity,
                person=who,
                verification_method="physical_document",
                result="finding",
            )
            for kind in (overstay, other)[: 1 + number % 3 // 2]:
                reports.finding_create(
                    by=people.officer_a,
                    client_id=uuid.uuid4(),
                    activity=activity,
                    violation_type=kind,
                    check=check,
                    overstay_days=3,
                )
    field_activity(
        by=people.officer_a,
        started_at=at(17, day=DAY),
        place=place(by=people.officer_a, name="Tanpa titik"),
        latitude=None,
        longitude=None,
    )
    for report in {activity.report for activity in Activity.objects.all()}:
        if report.first_submitted_at is None:
            reports.report_submit(report=report, by=people.officer_a, now=at(19, day=DAY))
    drain()


@pytest.mark.parametrize("period", ["2025-03", "2025-03-10..2025-03-10", "2025"])
def test_the_rolled_up_map_equals_a_count_of_the_activities(people, period):
    _mixed_map(people)
    span = parse(period, today=DAY)
    paths = [people.dg.path]
    filters = [
        {},
        {"violation": "overstay_lt_60"},
        {"nationality": "CN"},
        {"unit_path": people.team_a.path},
        {"unit_path": people.office_b.path},
        # Both: an activity with a finding of the type and a check of the nationality.
        {"violation": "overstay_lt_60", "nationality": "CN"},
        {"violation": "overstay_lt_60", "nationality": "AU"},
    ]
    counted = 0
    for extra in filters:
        chosen = supervision_map.MapFilter(start=span.start, end=span.end, **extra)
        rows = supervision_map.activities(people.analyst_national, paths, chosen)
        counted += rows.count()
        for zoom in (0, 4, 7, 8, 10):
            found, level = supervision_map.rolled_cells(paths, chosen, zoom)
            # Zoomed out over whole months, the subtrees' wide cells; else the units' fine ones.
            wide = zoom <= supervision_map.WIDE_ZOOM and whole_months([(span.start, span.end)])
            assert level == (supervision_map.WIDE_ZOOM if wide else supervision_map.FINE_ZOOM)
            assert sum(found.values()) == rows.count(), (extra, zoom)
            by_rollups = supervision_map.zoomed_cells(found, zoom, level)
            by_activities = cells(rows, zoom)
            key = lambda cell: (cell["south"], cell["west"])  # noqa: E731
            assert sorted(by_rollups, key=key) == sorted(by_activities, key=key), (extra, zoom)
        regencies = supervision_map.rolled_regencies(paths, chosen)
        assert regencies == by_regency(rows), extra
    assert counted > 0
    both = supervision_map.MapFilter(
        start=span.start, end=span.end, violation="overstay_lt_60", nationality="CN"
    )
    one = supervision_map.MapFilter(start=span.start, end=span.end, violation="overstay_lt_60")
    # The pair narrows: fewer activities than the type alone over the month and the year.
    both_rows = supervision_map.activities(people.analyst_national, paths, both).count()
    one_rows = supervision_map.activities(people.analyst_national, paths, one).count()
    assert 0 < both_rows <= one_rows
    assert both_rows < one_rows or span.start == span.end


def test_zoomed_out_each_scope_is_summed_once_from_its_own_wide_cells(people):
    _mixed_map(people)
    denpasar = _spot(people.officer_b, at(9, day=DAY), "Hotel Denpasar", "-8.650", "115.216")
    reports.report_submit(report=denpasar.report, by=people.officer_b, now=at(19, day=DAY))
    drain()
    span = parse("2025-03", today=DAY)
    chosen = supervision_map.MapFilter(start=span.start, end=span.end)

    def counted(*units) -> dict:
        found, level = supervision_map.rolled_cells([unit.path for unit in units], chosen, 5)
        assert level == supervision_map.WIDE_ZOOM
        return found

    office_a, office_b = counted(people.office_a), counted(people.office_b)
    assert sum(office_a.values()) == 5
    assert sum(office_b.values()) == 1
    # A leader of an office who also leads one of its teams: the team is inside, counted once.
    assert counted(people.office_a, people.team_a) == office_a
    # Two offices: each office's own sums, added; the country holds both.
    both = counted(people.office_a, people.office_b)
    paths = [people.office_a.path, people.office_b.path]
    rows = supervision_map.activities(people.analyst_national, paths, chosen)
    assert sum(both.values()) == rows.count() == 6
    assert counted(people.dg) == both


def test_a_wide_cell_emptied_by_a_returned_report_is_no_longer_drawn(people):
    officer = people.officer_a
    kept = _spot(officer, at(8, day=DAY), "Hotel Tangerang", "-6.178", "106.630")
    removed = _spot(officer, at(9, day=DAY), "Hotel Medan", "3.595", "98.672")
    report = reports.report_submit(report=kept.report, by=officer, now=at(19, day=DAY))
    drain()
    span = parse("2025-03", today=DAY)
    chosen = supervision_map.MapFilter(start=span.start, end=span.end)
    before, level = supervision_map.rolled_cells([people.dg.path], chosen, 5)
    assert level == supervision_map.WIDE_ZOOM
    assert sorted(before.values()) == [1, 1]
    # Returned, the Medan activity removed, sent again: its wide cell's rows now hold 0.
    reports.report_return(report=report, by=people.leader_a, reason="Kegiatan kedua keliru.")
    reports.activity_delete(by=officer, activity=removed)
    reports.report_submit(report=report, by=officer, now=at(20, day=DAY))
    drain()
    after, _ = supervision_map.rolled_cells([people.dg.path], chosen, 5)
    assert list(after.values()) == [1]
    drawn = supervision_map.zoomed_cells(after, 5, supervision_map.WIDE_ZOOM)
    assert [cell["activities"] for cell in drawn] == [1]
    assert drawn == cells(
        supervision_map.activities(people.analyst_national, [people.dg.path], chosen), 5
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_a_view_box_reads_the_periods_activities_by_time_and_place(client, people):
    """A click on a national cell (its list) and the points zoomed in: the activities found by
    the index of start times and points, not by every report of the period in the scope."""
    _filed(people, 3)
    client.force_login(people.analyst_national)
    box = {"south": -6.4, "north": -6.0, "west": 106.4, "east": 106.9}
    for name, extra in (("insights:map_list", {}), ("insights:map_feed", {"zoom": 14})):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"p": "2025-03", **box, **extra})
        assert response.status_code == 200
        plans = [
            plan
            for plan in explain([query["sql"] for query in queries.captured_queries])
            if "reports_activity" in plan
        ]
        assert plans, name
        for plan in plans:
            assert "activity_when_where" in plan, plan
            assert "Seq Scan on reports_activity" not in plan, plan


def test_an_activity_just_after_midnight_in_bali_is_listed_in_its_own_month(client, people):
    # 00:30 on 1 March in Denpasar (UTC+8) is still 28 February in UTC.
    first = datetime.date(2025, 3, 1)
    early = _spot(
        people.officer_b, at(0, 30, day=first, zone=WITA), "Hotel Kuta", "-8.650", "115.216"
    )
    assert early.report.report_date == first
    reports.report_submit(
        report=early.report, by=people.officer_b, now=at(19, day=first, zone=WITA)
    )
    client.force_login(people.analyst_national)
    box = {"south": -9, "north": -8, "west": 115, "east": 116}
    for period, listed in (("2025-03", 1), ("2025-02", 0)):
        response = client.get(reverse("insights:map_list"), {"p": period, **box})
        assert response.context["total"] == listed, period
    points = _feed(client, people.analyst_national, zoom=14, **box).json()["points"]
    assert [point["id"] for point in points] == [early.pk]
