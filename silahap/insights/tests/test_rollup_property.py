"""After any sequence of writes, returns, approvals and merges, every rollup row equals what a
from-scratch recompute gives: the subscribers miss no officer-day an event touched."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silahap.insights import queries, rollups
from silahap.insights.metrics import BY_KEY, SHOWN
from silahap.insights.models import DailyCount, MonthlyCount
from silahap.insights.queries import Rows
from silahap.insights.tests.helpers import drain, from_scratch, snapshot
from silahap.registry.services import person_merge
from silahap.reports import services as reports
from silahap.reports.models import Activity, DailyReport, ViolationType
from silahap.reports.tests.factories import DAY, WIB, WITA, at, field_activity, person, place

DAYS = [DAY, DAY - datetime.timedelta(days=1), DAY - datetime.timedelta(days=2)]
AUTHORS = ["officer_a", "officer_a2", "officer_b"]
ZONE = {"officer_a": WIB, "officer_a2": WIB, "officer_b": WITA}
DECIDER = {"officer_a": "leader_a", "officer_a2": "leader_a", "officer_b": "leader_b"}

step = st.one_of(
    st.tuples(
        st.just("activity"),
        st.sampled_from(AUTHORS),
        st.integers(0, 2),
        st.integers(0, 1),
        st.booleans(),
    ),
    st.tuples(
        st.just("check"),
        st.integers(0, 20),
        st.integers(0, 2),
        st.sampled_from(["compliant", "finding"]),
    ),
    st.tuples(st.just("finding"), st.integers(0, 20)),
    st.tuples(st.just("submit"), st.integers(0, 10)),
    st.tuples(st.just("submit"), st.integers(0, 10)),
    st.tuples(st.just("return"), st.integers(0, 10)),
    st.tuples(st.just("approve"), st.integers(0, 10)),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2)),
)


class World:
    def __init__(self, people):
        self.people = people
        by = people.officer_a
        self.places = [place(by=by, name="Hotel Satu"), place(by=by, name="Villa Dua")]
        self.persons = [
            person(by=by, name=f"Person {n}", document=f"Q{n}{uuid.uuid4().hex[:6].upper()}")
            for n in range(3)
        ]
        self.violation = ViolationType.objects.get(code="overstay_lt_60")
        self.activities: list[Activity] = []

    def user(self, name):
        return getattr(self.people, name)

    def pick_report(self, index: int) -> DailyReport | None:
        found = list(DailyReport.objects.filter(activities__in=self.activities).distinct())
        return found[index % len(found)] if found else None

    def run(self, action) -> None:
        kind, *args = action
        getattr(self, f"do_{kind}")(*args)

    def do_activity(self, author, day, place_index, closed):
        by = self.user(author)
        activity = field_activity(
            by=by,
            started_at=at(9 + len(self.activities) % 8, day=DAYS[day], zone=ZONE[author]),
            place=self.places[place_index],
            classification="closed" if closed else "open",
        )
        self.activities.append(activity)

    def do_check(self, index, person_index, result):
        if not self.activities:
            return
        activity = self.activities[index % len(self.activities)]
        by = activity.report.officer
        current = self.persons[person_index]
        current.refresh_from_db()
        if current.merged_into_id:
            return
        reports.check_create(
            by=by,
            client_id=uuid.uuid4(),
            activity=activity,
            person=current,
            verification_method="physical_document",
            result=result,
        )

    def do_finding(self, index):
        if not self.activities:
            return
        activity = self.activities[index % len(self.activities)]
        reports.finding_create(
            by=activity.report.officer,
            client_id=uuid.uuid4(),
            activity=activity,
            violation_type=self.violation,
            overstay_days=5,
        )

    def do_submit(self, index):
        report = self.pick_report(index)
        if report is not None:
            zone = ZONE[report.officer.username]
            reports.report_submit(
                report=report, by=report.officer, now=at(19 + index % 3, day=DAY, zone=zone)
            )

    def do_return(self, index):
        report = self.pick_report(index)
        if report is not None:
            decider = self.user(DECIDER[report.officer.username])
            reports.report_return(report=report, by=decider, reason="Lengkapi.")

    def do_approve(self, index):
        report = self.pick_report(index)
        if report is not None:
            decider = self.user(DECIDER[report.officer.username])
            reports.report_approve(report=report, by=decider)

    def do_merge(self, first, second):
        survivor, merged = self.persons[first], self.persons[second]
        survivor.refresh_from_db()
        merged.refresh_from_db()
        if first == second or survivor.merged_into_id or merged.merged_into_id:
            return
        by = self.people.leader_a
        person_merge(by=by, survivor=survivor, merged=merged)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=5, max_size=20))
def test_rollups_equal_a_from_scratch_count(people, steps):
    with transaction.atomic():
        world = World(people)
        # A filed report per author with a check of one person each, so that returns, merges
        # and late checks have something filed to change.
        for number, author in enumerate(AUTHORS):
            world.do_activity(author, number, number % 2, False)
            world.do_check(number, number, "compliant")
            world.do_submit(number)
        for action in steps:
            try:
                with transaction.atomic():
                    world.run(action)
            except (ValidationError, PermissionDenied):
                pass  # a refused step changes nothing, which is also worth checking
            # Dispatch as the worker would after each commit, sometimes several writes at once.
            if len(world.activities) % 2 == 0:
                drain()
        drain()
        assert snapshot() == from_scratch()
        transaction.set_rollback(True)


def test_a_missed_event_shows_as_a_difference(people):
    """The comparison itself can fail: a rollup row nobody refreshed differs from scratch."""
    world = World(people)
    world.do_activity("officer_a", 0, 0, False)
    world.do_submit(0)
    drain()
    DailyCount.objects.filter(metric="activities").update(value=7)
    assert snapshot() != from_scratch()


def test_a_check_added_to_a_returned_report_counts_before_it_is_sent_again(people):
    world = World(people)
    world.do_activity("officer_a", 0, 0, False)
    world.do_submit(0)
    world.do_return(0)
    drain()
    world.do_check(0, 1, "compliant")
    drain()
    checks = DailyCount.objects.filter(officer=people.officer_a, metric="checks")
    assert sum(checks.values_list("value", flat=True)) == 1
    assert snapshot() == from_scratch()


def test_a_unit_month_nobody_refreshed_shows_as_a_difference(people):
    world = World(people)
    world.do_activity("officer_a", 0, 0, False)
    world.do_submit(0)
    drain()
    assert MonthlyCount.objects.filter(metric="activities").exists()
    MonthlyCount.objects.filter(metric="activities").update(value=7)
    assert snapshot() != from_scratch()


def test_a_whole_month_reads_the_monthly_rows_and_gives_the_daily_numbers(people):
    """Every metric of a month, a unit and its children is the same from either level."""
    world = World(people)
    for number, author in enumerate(AUTHORS):
        world.do_activity(author, number, number % 2, False)
        world.do_check(number, number, "compliant")
        world.do_finding(number)
        world.do_submit(number)
    world.do_approve(0)
    world.do_merge(0, 1)
    drain()
    start = DAY.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    office = people.officer_a.memberships.first().unit.office
    rows = Rows(paths=(office.path,))
    assert queries.monthly_level(rows, [(start, end)], None)
    children = list(office.children.all())
    for group in (None, queries.child_group(children), "unit__office_id"):
        monthly = queries.measure(SHOWN, rows=rows, start=start, end=end, group=group)
        daily = queries.measure(SHOWN, rows=rows, start=start, end=end, group=group, daily=True)
        assert monthly == daily
    persons = queries.measure([BY_KEY["persons_checked"]], rows=rows, start=start, end=end)
    # Office A's two officers checked two persons, then merged into one: counted once.
    assert persons[None]["persons_checked"] == 1
    # Neither the officer's own page nor a part of a month reads the monthly rows.
    assert not queries.monthly_level(Rows(paths=("/",), officer_ids=(1,)), [(start, end)], None)
    assert not queries.monthly_level(rows, [(start, end - datetime.timedelta(days=1))], None)


@pytest.mark.one_database("postgresql")
def test_grouping_by_the_path_gives_what_grouping_by_the_unit_gives(people):
    """PostgreSQL groups national readings by an ancestor read from the row's path: each office
    and each child unit gets exactly what the join to its unit or a prefix match per child gives,
    from either level, with rows of teams and sections below the offices."""
    world = World(people)
    for number, author in enumerate(AUTHORS):
        world.do_activity(author, number, number % 2, False)
        world.do_check(number, number, "compliant")
        world.do_finding(number)
        world.do_submit(number)
    drain()
    start = DAY.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    national = Rows(paths=(people.dg.path,))
    regions = [people.kanwil_banten, people.kanwil_bali]
    by_region = Case(
        *[When(unit_path__startswith=region.path, then=Value(region.pk)) for region in regions],
        default=Value(None),
    )
    for daily in (False, True):
        by_path = queries.measure(
            SHOWN,
            rows=national,
            start=start,
            end=end,
            group=queries.ancestor_group(people.office_a.depth),
            daily=daily,
        )
        by_join = queries.measure(
            SHOWN, rows=national, start=start, end=end, group="unit__office_id", daily=daily
        )
        assert by_path == by_join
        assert by_path[people.office_a.pk]["persons_checked"] >= 1
        assert by_path[people.office_b.pk]["activities"] >= 1
        regional = Rows(paths=tuple(region.path for region in regions))
        assert queries.measure(
            SHOWN,
            rows=regional,
            start=start,
            end=end,
            group=queries.child_group(regions),
            daily=daily,
        ) == queries.measure(
            SHOWN, rows=regional, start=start, end=end, group=by_region, daily=daily
        )


@pytest.mark.parametrize("activities", [1, 8])
def test_a_write_to_a_draft_costs_the_rollups_three_queries_and_a_filed_one_is_counted(
    people, activities, django_assert_max_num_queries
):
    """An officer's draft is not counted yet: each activity, photo or check added to it asks
    three reads and writes nothing, however full the draft; once filed it is counted."""
    world = World(people)
    for _ in range(activities):
        world.do_activity("officer_a", 0, 0, False)
    drain()
    report = world.activities[0].report
    # The report and the officer-day's daily rows (none), inside the subscriber's savepoint.
    with django_assert_max_num_queries(5):
        rollups.refresh_reports([report.pk])
    assert not DailyCount.objects.filter(officer=people.officer_a).exists()
    world.do_submit(0)
    drain()
    counted = DailyCount.objects.filter(officer=people.officer_a, metric="activities")
    assert sum(counted.values_list("value", flat=True)) == activities
    assert snapshot() == from_scratch()
