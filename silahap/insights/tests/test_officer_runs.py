"""Each officer's distinct persons and places over whole months, read from the officer's runs.

OfficerSeen is kept by applying the difference each rebuilt officer-day makes
(`rollups.refresh_reports`); these tests hold it equal to a recount after random changes over
months and units, and hold the leader's table of members, which sums it, equal to counting each
officer's checks by hand, for an officer who moved from one team to another and then to another
office, with merged persons, a deleted draft and a returned report.
"""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit
from silahap.insights import evaluation, queries, rollups
from silahap.insights.metrics import BY_KEY
from silahap.insights.models import DailyValue, OfficerMonthCount, OfficerSeen
from silahap.insights.periods import Period
from silahap.insights.queries import Rows
from silahap.insights.tests.helpers import drain, from_scratch, snapshot, two_workers
from silahap.registry.services import person_merge
from silahap.reports import services as reports
from silahap.reports.models import Check, Classification
from silahap.reports.tests.factories import WIB, WITA, at, field_activity, person, place

PERSONS = BY_KEY["persons_checked"]
PLACES = BY_KEY["places_visited"]
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
SPANS = [
    YEAR,
    (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),  # the quarter before the moves
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),  # the quarter of both moves
    (datetime.date(2025, 2, 1), datetime.date(2025, 4, 30)),  # across the first move
    (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)),  # one month
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),  # the deleted draft's month
]


def _kept() -> set:
    return {
        row
        for row in OfficerSeen.objects.exclude(value=0).values_list(
            "officer_id", "unit_id", "unit_path", "depth", "kind", "day", "previous", "value"
        )
    }


def _recounted() -> set:
    daily = DailyValue.objects.filter(kind__in=rollups.MONTHLY_SETS).values_list(
        "officer_id", "kind", "value", "unit_path", "day"
    )
    return {(*key, value) for key, value in rollups.officer_cells(daily).items() if value}


def _toggle(rng: random.Random, units: list[OrgUnit], officers: list[int]) -> None:
    """Add or remove a few values of one officer-day, in a unit picked at random (an officer
    reports from several units over the months), as a rebuild of that officer-day does."""
    officer_id = rng.choice(officers)
    day = datetime.date(2025, rng.randint(1, 7), rng.choice([3, 17, 28]))
    rows = DailyValue.objects.filter(officer_id=officer_id, day=day)
    fields = ("officer_id", "kind", "value", "unit_path", "day")
    before = set(rows.values_list(*fields))
    unit = rng.choice(units)
    for _change in range(rng.randint(1, 3)):
        kind = rng.choice(["person", "place"])
        value = rng.randint(1, 8)
        found = rows.filter(kind=kind, value=value)
        if found.exists():
            found.delete()
        else:
            DailyValue.objects.create(
                officer_id=officer_id,
                day=day,
                unit=unit,
                unit_path=unit.path,
                kind=kind,
                value=value,
            )
    after = set(rows.values_list(*fields))
    rollups._update_officer_seen(removed=before - after, added=after - before)


def test_the_officers_runs_kept_by_differences_equal_a_recount(people):
    units = list(OrgUnit.objects.order_by("path"))
    officers = [people.officer_a.pk, people.officer_a2.pk, people.officer_b.pk]
    rng = random.Random(17)
    for step in range(200):
        _toggle(rng, units, officers)
        if step % 50 == 49:
            assert _kept() == _recounted()
    kept = _kept()
    assert len({row[0] for row in kept}) == 3  # every officer, in several units
    assert rollups.rebuild_officer_seen() == len(kept)
    assert _kept() == kept


def test_a_count_off_by_one_differs_from_the_recount(people):
    unit = people.team_a
    for day, value in [(datetime.date(2025, 1, 3), 1), (datetime.date(2025, 2, 3), 1)]:
        DailyValue.objects.create(
            officer=people.officer_a,
            day=day,
            unit=unit,
            unit_path=unit.path,
            kind="person",
            value=value,
        )
        rollups._update_officer_seen(
            removed=set(), added={(people.officer_a.pk, "person", value, unit.path, day)}
        )
    assert _kept() == _recounted()
    # Two months of one value: counted at its first month in any run (previous before it).
    assert {(row[5], row[6]) for row in _kept() if row[2] == unit.path} == {
        (datetime.date(2025, 1, 1), rollups.NEVER),
        (datetime.date(2025, 2, 1), datetime.date(2025, 1, 1)),
    }
    row = OfficerSeen.objects.filter(value__gt=0).order_by("pk").first()
    OfficerSeen.objects.filter(pk=row.pk).update(value=row.value + 1)
    assert _kept() != _recounted()


def _checks_by_hand(unit: OrgUnit, first: datetime.date, last: datetime.date) -> dict:
    """Each officer's distinct persons within the unit's subtree, from the checks themselves:
    filed reports only, closed activities left out, a merged person counted as the one kept."""
    found: dict[int, set[int]] = {}
    checks = (
        Check.objects.filter(
            activity__report__first_submitted_at__isnull=False,
            activity__report__unit__path__startswith=unit.path,
            activity__report__report_date__gte=first,
            activity__report__report_date__lte=last,
        )
        .exclude(activity__classification=Classification.CLOSED)
        .values_list("activity__report__officer_id", "person_id", "person__merged_into_id")
    )
    for officer_id, person_id, merged_into in checks:
        found.setdefault(officer_id, set()).add(merged_into or person_id)
    return {officer_id: len(persons) for officer_id, persons in found.items()}


def _members_read(unit: OrgUnit, first: datetime.date, last: datetime.date) -> dict:
    values = queries.measure(
        [PERSONS], rows=Rows(paths=(unit.path,)), start=first, end=last, group="officer_id"
    )
    return {
        key: cells["persons_checked"]
        for key, cells in values.items()
        if cells.get("persons_checked")
    }


def _move(officer, to: OrgUnit, on: datetime.date) -> None:
    """End the officer's current membership the day before `on` and start one in `to`."""
    current = Membership.objects.get(
        user=officer, role=Membership.Role.OFFICER, end_date__isnull=True
    )
    accounts.membership_end(by=None, membership=current, end_date=on - datetime.timedelta(days=1))
    accounts.membership_create(
        by=None, user=officer, unit=to, role=Membership.Role.OFFICER, start_date=on
    )


def _visit(officer, day: datetime.date, persons, *, where, zone=WIB):
    activity = field_activity(by=officer, started_at=at(9, day=day, zone=zone), place=where)
    for who in persons:
        reports.check_create(
            by=officer,
            client_id=uuid.uuid4(),
            activity=activity,
            person=who,
            verification_method="physical_document",
            result="compliant",
        )
    return activity


def _submit(activity, *, zone=WIB):
    report = activity.report
    report.refresh_from_db()
    return reports.report_submit(
        report=report, by=report.officer, now=at(17, day=report.report_date, zone=zone)
    )


@pytest.fixture
def moved(people):
    """Officer A in team 1 (January to March), team 2 (April, May), then office B (June);
    officer A2 in team 1 throughout. Persons p[0]..p[4]; p[4] is later merged into p[3]."""
    a, a2 = people.officer_a, people.officer_a2
    team_2 = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.TEAM,
        code="KI-TNG-TIM2",
        name="Tim 2 Tangerang",
        parent=people.section_a,
    )
    hotel = place(by=a)
    p = [
        person(by=a, name=f"Orang {n}", document=f"R{n}{uuid.uuid4().hex[:6].upper()}")
        for n in range(5)
    ]
    # January, team 1: p0 and p1.
    _submit(_visit(a, datetime.date(2025, 1, 14), [p[0], p[1]], where=hotel))
    _submit(_visit(a2, datetime.date(2025, 1, 14), [p[0]], where=hotel))
    # February, team 1: p1, and p4 in a second activity; returned, that activity removed, sent
    # again: only p1 stays.
    first = _visit(a, datetime.date(2025, 2, 11), [p[1]], where=hotel)
    second = _visit(a, datetime.date(2025, 2, 11), [p[4]], where=hotel)
    report = _submit(first)
    drain()
    reports.report_return(report=report, by=people.leader_a, reason="Kegiatan kedua keliru.")
    reports.activity_delete(by=a, activity=second)
    _submit(first)
    # March, team 1: a draft with p2, never sent, its activity deleted: never counted.
    draft = _visit(a, datetime.date(2025, 3, 11), [p[2]], where=hotel)
    drain()
    reports.activity_delete(by=a, activity=draft)
    # April, team 2: p0 and p3.
    _move(a, team_2, datetime.date(2025, 4, 1))
    _submit(_visit(a, datetime.date(2025, 4, 15), [p[0], p[3]], where=hotel))
    _submit(_visit(a2, datetime.date(2025, 4, 15), [p[3]], where=hotel))
    # June, office B: p0 and p4 (WITA).
    _move(a, people.section_b, datetime.date(2025, 6, 1))
    _submit(_visit(a, datetime.date(2025, 6, 10), [p[0], p[4]], where=hotel, zone=WITA), zone=WITA)
    drain()
    people.team_2 = team_2
    people.persons = p
    return people


def _units(people) -> list[OrgUnit]:
    return [
        people.dg,
        people.kanwil_banten,
        people.office_a,
        people.section_a,
        people.team_a,
        people.team_2,
        people.kanwil_bali,
        people.office_b,
        people.section_b,
    ]


def test_members_distinct_persons_equal_counting_the_checks_after_moves_and_merges(moved):
    a, a2 = moved.officer_a.pk, moved.officer_a2.pk
    # Hand-counted, before the merge: within team 1 a year is p0, p1 (p4's activity was removed
    # from the returned report, p2's draft never sent); within section A (both teams) p0, p1, p3;
    # the directorate p0, p1, p3, p4.
    year = {unit.code: _members_read(unit, *YEAR) for unit in _units(moved)}
    assert year["KI-TNG-TIM1"] == {a: 2, a2: 2}
    assert year["KI-TNG-TIM2"] == {a: 2}
    assert year["KI-TNG-INTEL"] == {a: 3, a2: 2}
    assert year["KI-DPS"] == {a: 2}
    assert year["DJI"] == {a: 4, a2: 2}
    assert _members_read(moved.dg, *SPANS[2]) == {a: 3, a2: 1}
    assert _members_read(moved.dg, *SPANS[5]) == {}
    merged_into = moved.persons[3]
    person_merge(by=moved.leader_a, survivor=merged_into, merged=moved.persons[4])
    drain()
    # p4 is p3 now: June's check counts as p3, already seen in April.
    assert _members_read(moved.dg, *YEAR) == {a: 3, a2: 2}
    assert _members_read(moved.dg, *SPANS[2]) == {a: 2, a2: 1}
    assert _members_read(moved.office_b, *YEAR) == {a: 2}
    for unit in _units(moved):
        for first, last in SPANS:
            assert _members_read(unit, first, last) == _checks_by_hand(unit, first, last), (
                unit.code,
                first,
                last,
            )
    assert snapshot() == from_scratch()


def test_the_members_table_reads_the_officers_runs_not_the_daily_values(moved):
    period = Period("year", *YEAR)
    with CaptureQueriesContext(connection) as captured:
        table = evaluation.members_table(moved.section_a, period)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_officerseen" in statements
    assert "insights_dailyvalue" not in statements
    persons = table.headers.index(PERSONS.label)
    by_officer = dict(zip(table.links, [row[persons] for row in table.rows], strict=True))
    assert by_officer[moved.officer_a.pk] == 3
    # Part of a month still counts the daily values, with the same number.
    partial = queries.measure(
        [PERSONS, PLACES],
        rows=Rows(paths=(moved.section_a.path,)),
        start=datetime.date(2025, 1, 2),
        end=datetime.date(2025, 12, 31),
        group="officer_id",
    )
    assert partial[moved.officer_a.pk]["persons_checked"] == 3
    assert partial[moved.officer_a.pk]["places_visited"] == 1


def test_officer_readings_by_month_and_period_sum_their_own_runs(moved):
    a = moved.officer_a.pk
    rows = Rows(paths=(moved.dg.path,), officer_ids=(a,))
    by_month = queries.measure(
        [PERSONS], rows=rows, start=YEAR[0], end=YEAR[1], group=queries.MONTH
    )
    daily = queries.measure(
        [PERSONS], rows=rows, start=YEAR[0], end=YEAR[1], group=queries.MONTH, daily=True
    )
    assert by_month == daily
    assert by_month[datetime.date(2025, 1, 1)]["persons_checked"] == 2
    assert by_month[datetime.date(2025, 6, 1)]["persons_checked"] == 2
    periods = {"q1": SPANS[1], "q2": SPANS[2]}
    reading = {
        "rows": Rows(paths=(moved.office_a.path,)),
        "start": YEAR[0],
        "end": YEAR[1],
        "group": ("officer_id", queries.period_group(periods)),
        "ranges": list(periods.values()),
    }
    grouped = queries.measure([PERSONS], **reading)
    assert grouped[(a, "q1")]["persons_checked"] == 2
    assert grouped[(a, "q2")]["persons_checked"] == 2
    assert grouped == queries.measure([PERSONS], **reading, daily=True)


@pytest.mark.django_db(transaction=True)
def test_two_workers_adding_one_person_on_two_days_of_an_officer_count_them_once():
    """Each worker reads the officer's days of the person after the other's commit (a lock per
    officer): the month counts the person once, not once per worker, in each unit above."""
    if connection.vendor != "postgresql":
        pytest.skip("locks between connections are a PostgreSQL check; SQLite has one writer")
    root = accounts.orgunit_create(
        by=None, kind=OrgUnit.Kind.DIRECTORATE_GENERAL, code="RUN-DG", name="Run DG"
    )
    units = [
        accounts.orgunit_create(
            by=None, kind=OrgUnit.Kind.REGIONAL_OFFICE, code=code, name=code, parent=root
        )
        for code in ("RUN-A", "RUN-B")
    ]
    officer = accounts.user_create(by=None, username="run.officer", full_name="Run", password=None)
    days = [datetime.date(2025, 5, 6), datetime.date(2025, 5, 20)]

    def add(unit: OrgUnit, day: datetime.date) -> None:
        DailyValue.objects.create(
            officer=officer, day=day, unit=unit, unit_path=unit.path, kind="person", value=77
        )
        rollups._update_officer_seen(
            removed=set(), added={(officer.pk, "person", 77, unit.path, day)}
        )

    two_workers(lambda: add(units[0], days[0]), lambda: add(units[1], days[1]))
    month = datetime.date(2025, 5, 1)
    assert OfficerSeen.objects.get(officer=officer, unit=root, kind="person", day=month).value == 1
    for unit in units:
        assert (
            OfficerSeen.objects.get(officer=officer, unit=unit, kind="person", day=month).value == 1
        )
    assert _kept() == _recounted()


SUMS = [metric for metric in BY_KEY.values() if metric.kind == "sum"]


def test_members_sums_read_the_officers_months_and_equal_their_days(moved):
    """Per officer over whole months, the catalogue's sums come from each officer's monthly rows
    (OfficerMonthCount), never from a year of daily rows, and equal the daily rows' sums in
    every unit and span, by officer, by officer and month and by officer and period; after
    moves between teams and offices, a returned report and deleted activities and draft."""
    period = Period("year", *YEAR)
    with CaptureQueriesContext(connection) as captured:
        table = evaluation.members_table(moved.section_a, period)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_officermonthcount" in statements
    assert "insights_dailycount" not in statements
    activities = table.headers.index(BY_KEY["activities"].label)
    by_officer = dict(zip(table.links, [row[activities] for row in table.rows], strict=True))
    # A: January, February (the second activity deleted) and April in section A; A2: two.
    assert by_officer == {moved.officer_a.pk: 3, moved.officer_a2.pk: 2}
    assert OfficerMonthCount.objects.filter(officer=moved.officer_a, metric="activities").count()
    periods = {"q1": SPANS[1], "q2": SPANS[2]}
    for unit in _units(moved):
        for first, last in SPANS:
            for group in ("officer_id", ("officer_id", queries.MONTH)):
                reading = {"rows": Rows(paths=(unit.path,)), "start": first, "end": last}
                read = queries.measure(SUMS, **reading, group=group)
                assert read == queries.measure(SUMS, **reading, group=group, daily=True), (
                    unit.code,
                    first,
                    group,
                )
        reading = {
            "rows": Rows(paths=(unit.path,)),
            "start": YEAR[0],
            "end": YEAR[1],
            "group": ("officer_id", queries.period_group(periods)),
            "ranges": list(periods.values()),
        }
        assert queries.measure(SUMS, **reading) == queries.measure(SUMS, **reading, daily=True)
    assert snapshot() == from_scratch()


def test_an_officers_own_months_read_their_rows_and_part_of_a_month_the_days(moved):
    """An officer's own page over whole months reads the officer's monthly rows (by the
    officer's index), the same as the days; part of a month has no monthly row."""
    officer = Rows(paths=(moved.dg.path,), officer_ids=(moved.officer_a.pk,))
    reading = {"rows": officer, "start": YEAR[0], "end": YEAR[1]}
    with CaptureQueriesContext(connection) as captured:
        own = queries.measure(SUMS, **reading, group=("officer_id", queries.MONTH))
        whole = queries.measure(SUMS, **reading)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_officermonthcount" in statements
    assert "insights_dailycount" not in statements
    assert own[(moved.officer_a.pk, datetime.date(2025, 6, 1))]["activities"] == 1
    assert whole[None]["activities"] == 4
    assert own == queries.measure(SUMS, **reading, group=("officer_id", queries.MONTH), daily=True)
    assert whole == queries.measure(SUMS, **reading, daily=True)
    with CaptureQueriesContext(connection) as captured:
        partial = queries.measure(
            SUMS,
            rows=Rows(paths=(moved.section_a.path,)),
            start=datetime.date(2025, 1, 2),
            end=datetime.date(2025, 12, 31),
            group="officer_id",
        )
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_dailycount" in statements
    assert "insights_officermonthcount" not in statements
    assert partial[moved.officer_a.pk]["activities"] == 3


def test_an_officers_month_is_rebuilt_with_the_unit_month(moved):
    """A wrong officer-month differs from the recount, and rebuilding its unit-month (what every
    change to one of its days does) puts it right."""
    row = OfficerMonthCount.objects.filter(
        officer=moved.officer_a, day=datetime.date(2025, 4, 1), metric="activities"
    ).get()
    assert row.unit_id == moved.team_2.pk
    assert row.value == 1
    row.value += 1
    row.save()
    assert snapshot() != from_scratch()
    rollups.refresh_months([(row.unit_id, row.day)])
    assert snapshot() == from_scratch()
