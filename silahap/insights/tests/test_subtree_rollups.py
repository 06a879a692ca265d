"""Distinct counts and medians over whole months, read from each subtree's runs and histograms.

SubtreeSeen (with its totals per month, SubtreeMonthSeen) and SubtreeTally are kept by applying
differences (`rollups.refresh_months`); these
tests hold them equal to a recount after many random changes over several months and units, and
hold every reading that sums them equal to counting the distinct values of the monthly sets, or
taking the median of every daily value, by hand.
"""

from __future__ import annotations

import datetime
import random
import statistics
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silahap.accounts import services as accounts
from silahap.accounts.models import OrgUnit
from silahap.insights import league, queries, rollups
from silahap.insights.metrics import BY_KEY
from silahap.insights.models import (
    DailyCount,
    DailyValue,
    MonthlyCount,
    MonthlyValue,
    SubtreeCount,
    SubtreeMonthSeen,
    SubtreeSeen,
    SubtreeTally,
    SubtreeYearTally,
)
from silahap.insights.queries import Rows
from silahap.insights.tests.helpers import two_workers

MONTHS = [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1)] + [
    datetime.date(2026, month, 1) for month in range(1, 8)
]
PERSONS = BY_KEY["persons_checked"]
PLACES = BY_KEY["places_visited"]
TURNAROUND = BY_KEY["review_turnaround"]


def _members() -> set[tuple[str, int, str, datetime.date]]:
    return set(MonthlyValue.objects.values_list("kind", "value", "unit_path", "day"))


def _kept() -> set:
    return {
        (unit_id, path, depth, kind, day, previous, value)
        for unit_id, path, depth, kind, day, previous, value in SubtreeSeen.objects.exclude(
            value=0
        ).values_list("unit_id", "unit_path", "depth", "kind", "day", "previous", "value")
    }


def _recounted() -> set:
    return {(*key, value) for key, value in rollups.seen_cells(sorted(_members())).items()}


def _kept_totals() -> set:
    return set(
        SubtreeMonthSeen.objects.exclude(value=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value"
        )
    )


def _recounted_totals() -> set:
    totals = rollups.month_totals(rollups.seen_cells(sorted(_members())))
    return {(*key, value) for key, value in totals.items() if value}


def _toggle(rng: random.Random, units: list[OrgUnit]) -> None:
    """Add or remove a few set members in one unit-month, as a refresh of that month does."""
    unit = rng.choice(units)
    month = rng.choice(MONTHS)
    members = MonthlyValue.objects.filter(unit=unit, day=month)
    before = set(members.values_list("kind", "value", "unit_path", "day"))
    for _change in range(rng.randint(1, 4)):
        kind = rng.choice(["person", "place"])
        value = rng.randint(1, 12)
        row = members.filter(kind=kind, value=value)
        if row.exists():
            row.delete()
        else:
            MonthlyValue.objects.create(
                unit=unit, unit_path=unit.path, day=month, kind=kind, value=value
            )
    after = set(members.values_list("kind", "value", "unit_path", "day"))
    rollups._update_seen(removed=before - after, added=after - before)


@pytest.fixture
def filled(people) -> list[OrgUnit]:
    units = list(OrgUnit.objects.order_by("path"))
    rng = random.Random(20261206)
    for _step in range(150):
        _toggle(rng, units)
    return units


def test_the_runs_kept_by_differences_equal_a_recount(people):
    units = list(OrgUnit.objects.order_by("path"))
    rng = random.Random(7)
    for step in range(240):
        _toggle(rng, units)
        if step % 40 == 39:
            assert _kept() == _recounted()
            assert _kept_totals() == _recounted_totals()
    assert _kept()
    kept, totals = _kept(), _kept_totals()
    assert rollups.rebuild_seen() == len(kept) == len(_kept())
    assert _kept() == kept
    assert _kept_totals() == totals
    # Each month's total is its runs summed over their previous months.
    assert totals
    for unit_id, _path, _depth, kind, day, value in totals:
        runs = SubtreeSeen.objects.filter(unit_id=unit_id, kind=kind, day=day)
        assert value == sum(runs.values_list("value", flat=True))
    # A wrong difference shows: one count off by one is a mismatch.
    SubtreeSeen.objects.filter(value__gt=0).order_by("pk").update(value=99)
    assert _kept() != _recounted()
    SubtreeMonthSeen.objects.filter(value__gt=0).order_by("pk").update(value=99)
    assert _kept_totals() != _recounted_totals()


def _distinct(kind: str, path: str, first: datetime.date, last: datetime.date) -> int:
    return len(
        {
            value
            for found, value, unit_path, day in _members()
            if found == kind and unit_path.startswith(path) and first <= day <= last
        }
    )


def _end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


YEARS = [
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),  # two years
]
SPANS = [
    (MONTHS[0], _end(MONTHS[-1])),  # everything
    (MONTHS[2], _end(MONTHS[4])),  # a quarter
    (MONTHS[3], _end(MONTHS[3])),  # a month
    (MONTHS[1], _end(MONTHS[6])),  # across a year's end
]


def test_a_subtree_over_a_run_of_months_counts_each_value_once(filled):
    for unit in filled:
        for first, last in SPANS:
            rows = Rows(paths=(unit.path,))
            found = queries.measure([PERSONS, PLACES], rows=rows, start=first, end=last)[None]
            assert found["persons_checked"] == _distinct("person", unit.path, first, last)
            assert found["places_visited"] == _distinct("place", unit.path, first, last)
    dg = filled[0]
    assert _distinct("person", dg.path, *SPANS[0]) > 3  # the data is not trivially empty


def test_groups_of_months_units_and_periods_each_count_their_own(people, filled):
    dg = people.dg
    first, last = SPANS[0]
    # By month: each month on its own.
    by_month = queries.measure(
        [PERSONS], rows=Rows(paths=(dg.path,)), start=first, end=last, group=queries.MONTH
    )
    for month in MONTHS:
        expected = _distinct("person", dg.path, month, _end(month))
        assert by_month.get(month, {}).get("persons_checked", 0) == expected
    # By child unit (regions under the directorate), and by (child, month).
    children = list(dg.children.all())
    paths = tuple(child.path for child in children)
    group = queries.child_group(children)
    by_child = queries.measure(
        [PERSONS], rows=Rows(paths=paths), start=first, end=last, group=group
    )
    for child in children:
        assert by_child.get(child.pk, {}).get("persons_checked", 0) == _distinct(
            "person", child.path, first, last
        )
    both = queries.measure(
        [PERSONS],
        rows=Rows(paths=paths),
        start=first,
        end=last,
        group=(group, queries.MONTH),
    )
    for child in children:
        for month in MONTHS:
            cells = both.get((child.pk, month), {})
            assert cells.get("persons_checked", 0) == _distinct(
                "person", child.path, month, _end(month)
            )
    # Several periods in one reading (a month, the one before, the same month a year before).
    names = {
        "now": SPANS[2],
        "before": (MONTHS[2], _end(MONTHS[2])),
        "older": (MONTHS[0], _end(MONTHS[1])),
    }
    periods = queries.measure(
        [PERSONS],
        rows=Rows(paths=(dg.path,)),
        start=first,
        end=last,
        group=queries.period_group(names),
        ranges=list(names.values()),
    )
    for name, (start, end) in names.items():
        assert periods.get(name, {}).get("persons_checked", 0) == _distinct(
            "person", dg.path, start, end
        )


def test_a_reading_by_month_sums_its_months_totals_whatever_the_history_before(people, filled):
    """A trend or a league's sparklines: one row per unit and month (SubtreeMonthSeen), not one
    per previous month, which grows with the months of history (issue 21: a league of regions
    read 109,507 runs at 10,000,000 activities)."""
    dg = people.dg
    first, last = MONTHS[2], _end(MONTHS[-1])
    rows = Rows(paths=(dg.path,))

    def by_month() -> dict:
        return queries.measure([PERSONS], rows=rows, start=first, end=last, group=queries.MONTH)

    def runs_in_span() -> int:
        return SubtreeSeen.objects.filter(
            unit=dg, kind="person", day__gte=first, day__lte=last
        ).count()

    def totals_in_span() -> int:
        return SubtreeMonthSeen.objects.filter(
            unit=dg, kind="person", day__gte=first, day__lte=last
        ).count()

    with CaptureQueriesContext(connection) as captured:
        before = by_month()
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_subtreemonthseen" in read
    assert "insights_subtreeseen" not in read
    runs_before, totals_before = runs_in_span(), totals_in_span()
    assert 0 < totals_before <= len(MONTHS[2:])
    # Two more years of history before the span: every value seen once in each earlier month,
    # in one unit or another, so the span's runs start from many more previous months.
    units = list(OrgUnit.objects.filter(path__startswith=dg.path).order_by("path"))
    earlier = [datetime.date(2023 + m // 12, m % 12 + 1, 1) for m in range(22)]
    added = set()
    for index, month in enumerate(earlier):
        unit = units[index % len(units)]
        for value in range(1, 13):
            MonthlyValue.objects.create(
                unit=unit, unit_path=unit.path, day=month, kind="person", value=value
            )
            added.add(("person", value, unit.path, month))
    rollups._update_seen(removed=set(), added=added)
    assert runs_in_span() > runs_before  # the runs grew with the history
    assert totals_in_span() == totals_before  # the totals did not
    assert by_month() == before
    for month in MONTHS[2:]:
        expected = _distinct("person", dg.path, month, _end(month))
        assert before.get(month, {}).get("persons_checked", 0) == expected
    # A month's page (by child unit) and its three periods of one month each read the totals
    # too, and count each month's distinct values.
    one_month = {"now": (MONTHS[3], _end(MONTHS[3])), "before": (MONTHS[2], _end(MONTHS[2]))}
    with CaptureQueriesContext(connection) as captured:
        children = queries.measure(
            [PERSONS],
            rows=Rows(paths=tuple(child.path for child in dg.children.all())),
            start=MONTHS[3],
            end=_end(MONTHS[3]),
            group=queries.child_group(list(dg.children.all())),
        )
        periods = queries.measure(
            [PERSONS],
            rows=rows,
            start=MONTHS[2],
            end=_end(MONTHS[3]),
            group=queries.period_group(one_month),
            ranges=list(one_month.values()),
        )
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "insights_subtreemonthseen" in read
    assert "insights_subtreeseen" not in read
    for name, (start, end) in one_month.items():
        expected = _distinct("person", dg.path, start, end)
        assert periods.get(name, {}).get("persons_checked", 0) == expected
    assert any(cells.get("persons_checked") for cells in children.values())
    for child in dg.children.all():
        expected = _distinct("person", child.path, MONTHS[3], _end(MONTHS[3]))
        assert children.get(child.pk, {}).get("persons_checked", 0) == expected


def test_readings_that_are_not_whole_subtrees_count_the_sets(people, filled):
    """Two scopes together (a value in both counts once), and a grouping by an ancestor above
    the paths read, are not sums of runs: they count the monthly sets, with the same result."""
    first, last = SPANS[0]
    both = (people.office_a.path, people.office_b.path)
    found = queries.measure([PERSONS], rows=Rows(paths=both), start=first, end=last)[None]
    expected = len(
        {
            value
            for kind, value, path, day in _members()
            if kind == "person" and path.startswith(both) and first <= day <= last
        }
    )
    assert found["persons_checked"] == expected
    assert queries._seen([PERSONS.source], Rows(paths=both), [(first, last)], None) is None
    if connection.vendor == "postgresql":
        region = people.office_a.parent
        group = queries.ancestor_group(region.depth)
        # Read from below the grouping depth: the group is part of its region only.
        assert (
            queries._seen([PERSONS.source], Rows(paths=(people.office_a.path,)), SPANS, group)
            is None
        )
        by_region = queries.measure(
            [PERSONS], rows=Rows(paths=(people.dg.path,)), start=first, end=last, group=group
        )
        assert by_region[region.pk]["persons_checked"] == _distinct(
            "person", region.path, first, last
        )


def test_the_middle_of_a_histogram_is_the_median_of_its_values():
    rng = random.Random(3)
    for size in range(1, 40):
        values = sorted(rng.choice([1, 2, 2, 5, 9, 30, 30, 30, 400]) for _ in range(size))
        histogram = sorted({value: values.count(value) for value in values}.items())
        assert queries._middle(histogram) == statistics.median(values)
    assert queries._middle([(10, 1), (20, 1)]) == 15.0


def _reviews(people, rng: random.Random, count: int) -> set:
    """Review minutes on random officer-days across the months, in every unit of the tree."""
    officers = [people.officer_a, people.officer_a2, people.officer_b, people.leader_a]
    units = list(OrgUnit.objects.order_by("path"))
    touched = set()
    for _review in range(count):
        unit = rng.choice(units)
        month = rng.choice(MONTHS)
        day = month.replace(day=rng.randint(1, 28))
        DailyValue.objects.get_or_create(
            officer=rng.choice(officers),
            day=day,
            kind="review_minutes",
            value=rng.choice([5, 30, 30, 90, 240, 241, 1440, 2000]),
            defaults={"unit": unit, "unit_path": unit.path},
        )
        touched.add((unit.pk, month))
    return touched


def _tallies() -> set:
    return set(
        SubtreeTally.objects.exclude(count=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value", "count"
        )
    )


def _tallies_recounted() -> set:
    histogram = rollups._histogram(MonthlyCount.objects.filter(metric="review_minutes"))
    return {(*key, times) for key, times in rollups.tally_cells(histogram.items()).items() if times}


def _year_tallies() -> set:
    return set(
        SubtreeYearTally.objects.exclude(count=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value", "count"
        )
    )


def _year_tallies_by_hand() -> set:
    """The monthly histograms summed by year, from the daily values themselves."""
    years: dict = {}
    for unit_id, path, depth, kind, day, value, count in _tallies_recounted():
        key = (unit_id, path, depth, kind, day.replace(month=1), value)
        years[key] = years.get(key, 0) + count
    return {(*key, count) for key, count in years.items()}


def test_the_histograms_kept_by_differences_equal_a_recount(people):
    rng = random.Random(11)
    for _round in range(6):
        rollups.refresh_months(_reviews(people, rng, 12))
        gone = DailyValue.objects.filter(kind="review_minutes").order_by("?")[:3]
        months = {(row.unit_id, row.day.replace(day=1)) for row in gone}
        DailyValue.objects.filter(pk__in=[row.pk for row in gone]).delete()
        rollups.refresh_months(months)
        assert _tallies() == _tallies_recounted()
        assert _year_tallies() == _year_tallies_by_hand()
    assert _tallies()
    assert {row[4].year for row in _year_tallies()} == {2025, 2026}
    assert rollups.rebuild_tallies() == len(_tallies())
    assert _tallies() == _tallies_recounted()
    # The unit-months' histograms are their daily values, counted.
    assert (
        sum(MonthlyCount.objects.filter(metric="review_minutes").values_list("value", flat=True))
        == DailyValue.objects.filter(kind="review_minutes").count()
    )
    assert _year_tallies() == _year_tallies_by_hand()
    SubtreeTally.objects.filter(count__gt=0).order_by("pk").update(count=99)
    assert _tallies() != _tallies_recounted()
    SubtreeYearTally.objects.filter(count__gt=0).order_by("pk").update(count=99)
    assert _year_tallies() != _year_tallies_by_hand()


def _minutes(path: str, first: datetime.date, last: datetime.date) -> list[int]:
    return list(
        DailyValue.objects.filter(
            kind="review_minutes", unit_path__startswith=path, day__gte=first, day__lte=last
        ).values_list("value", flat=True)
    )


def test_a_median_over_whole_months_is_the_median_of_every_daily_value(people):
    rollups.refresh_months(_reviews(people, random.Random(5), 80))
    for unit in OrgUnit.objects.all():
        rows = Rows(paths=(unit.path,))
        for first, last in SPANS:
            values = _minutes(unit.path, first, last)
            tally = queries._tally(TURNAROUND, rows, [(first, last)], None)
            assert tally is not None
            found = dict(queries._tallied_medians(tally, {}))
            if values:
                assert found[None] == statistics.median(values)
            else:
                assert found == {}
            monthly = queries.measure([TURNAROUND], rows=rows, start=first, end=last)
            daily = queries.measure([TURNAROUND], rows=rows, start=first, end=last, daily=True)
            assert monthly == daily
    dg = people.dg
    first, last = SPANS[0]
    assert len(_minutes(dg.path, first, last)) > 40
    by_month = queries.measure(
        [TURNAROUND], rows=Rows(paths=(dg.path,)), start=first, end=last, group=queries.MONTH
    )
    daily_by_month = queries.measure(
        [TURNAROUND],
        rows=Rows(paths=(dg.path,)),
        start=first,
        end=last,
        group=queries.MONTH,
        daily=True,
    )
    assert by_month == {
        (key.date() if isinstance(key, datetime.datetime) else key): cells
        for key, cells in daily_by_month.items()
    }
    children = list(dg.children.all())
    paths = tuple(child.path for child in children)
    group = queries.child_group(children)
    assert queries._tally(TURNAROUND, Rows(paths=paths), [(first, last)], group) is not None
    assert queries.measure(
        [TURNAROUND], rows=Rows(paths=paths), start=first, end=last, group=group
    ) == queries.measure(
        [TURNAROUND], rows=Rows(paths=paths), start=first, end=last, group=group, daily=True
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_adding_one_person_in_two_units_count_them_once_above_both():
    """Each worker reads the person's months after the other's commit (a lock per value): the
    directorate above both units counts the person once, not once per worker."""
    if connection.vendor != "postgresql":
        pytest.skip("locks between connections are a PostgreSQL check; SQLite has one writer")
    root = accounts.orgunit_create(
        by=None, kind=OrgUnit.Kind.DIRECTORATE_GENERAL, code="SEEN-DG", name="Seen DG"
    )
    units = [
        accounts.orgunit_create(
            by=None, kind=OrgUnit.Kind.REGIONAL_OFFICE, code=code, name=code, parent=root
        )
        for code in ("SEEN-A", "SEEN-B")
    ]
    month = MONTHS[4]

    def add(unit: OrgUnit) -> None:
        MonthlyValue.objects.create(
            unit=unit, unit_path=unit.path, day=month, kind="person", value=77
        )
        rollups._update_seen(removed=set(), added={("person", 77, unit.path, month)})

    two_workers(lambda: add(units[0]), lambda: add(units[1]))
    assert SubtreeSeen.objects.get(unit=root, kind="person", day=month).value == 1
    for unit in units:
        assert SubtreeSeen.objects.get(unit=unit, kind="person", day=month).value == 1
    assert _kept() == _recounted()


def test_a_median_over_calendar_years_reads_the_yearly_histograms(people):
    rollups.refresh_months(_reviews(people, random.Random(13), 80))
    for unit in OrgUnit.objects.all():
        rows = Rows(paths=(unit.path,))
        for first, last in YEARS:
            tally = queries._tally(TURNAROUND, rows, [(first, last)], None)
            assert tally is not None
            assert tally.model is SubtreeYearTally
            values = _minutes(unit.path, first, last)
            found = dict(queries._tallied_medians(tally, {}))
            assert found == ({None: statistics.median(values)} if values else {})
            assert queries.measure(
                [TURNAROUND], rows=rows, start=first, end=last
            ) == queries.measure([TURNAROUND], rows=rows, start=first, end=last, daily=True)
    dg = people.dg
    assert len(_minutes(dg.path, *YEARS[1])) > 20
    # By month, or part of a year, reads the monthly histograms; the same medians.
    assert queries._tally(TURNAROUND, Rows(paths=(dg.path,)), [YEARS[0]], queries.MONTH).model is (
        SubtreeTally
    )
    assert queries._tally(TURNAROUND, Rows(paths=(dg.path,)), SPANS[:1], None).model is (
        SubtreeTally
    )
    # Two years side by side (a year and the same period last year) and by child unit.
    periods = {"now": YEARS[1], "before": YEARS[0]}
    children = list(dg.children.all())
    group = (queries.child_group(children), queries.period_group(periods))
    paths = tuple(child.path for child in children)
    tally = queries._tally(TURNAROUND, Rows(paths=paths), list(periods.values()), group)
    assert tally is not None
    assert tally.model is SubtreeYearTally
    reading = {
        "rows": Rows(paths=paths),
        "start": YEARS[0][0],
        "end": YEARS[1][1],
        "group": group,
        "ranges": list(periods.values()),
    }
    found = queries.measure([TURNAROUND], **reading)
    assert len(found) > 2  # children in both years
    assert found == queries.measure([TURNAROUND], **reading, daily=True)


# The subtrees' sums (SubtreeCount): what national, regional and office readings of additive
# metrics add up instead of every unit's monthly rows.
ACTIVITIES = BY_KEY["activities"]
FINDINGS = BY_KEY["findings"]
OVERSTAYS = BY_KEY["overstays"]
LATE = BY_KEY["reports_late"]
SUMMED = [ACTIVITIES, FINDINGS, OVERSTAYS, LATE]
DIMENSIONS = {"activities": [""], "reports_late": [""],
              "findings": ["overstay_lt_60", "overstay_gte_60", "unauthorized_work"]}  # fmt: skip


def _counts(people, rng: random.Random, count: int) -> set:
    """Add, change or remove summed daily rows on random officer-days across the months, in
    every unit of the tree; returns the unit-months touched."""
    officers = [people.officer_a, people.officer_a2, people.officer_b, people.leader_a]
    units = list(OrgUnit.objects.order_by("path"))
    touched = set()
    for _change in range(count):
        unit = rng.choice(units)
        month = rng.choice(MONTHS)
        metric = rng.choice(sorted(DIMENSIONS))
        key = {
            "officer": rng.choice(officers),
            "day": month.replace(day=rng.randint(1, 28)),
            "metric": metric,
            "dimension": rng.choice(DIMENSIONS[metric]),
        }
        row = DailyCount.objects.filter(**key).first()
        if row is not None and rng.random() < 0.3:
            touched.add((row.unit_id, month))
            row.delete()
        elif row is not None:
            touched.add((row.unit_id, month))
            DailyCount.objects.filter(pk=row.pk).update(value=rng.randint(1, 9))
        else:
            DailyCount.objects.create(
                **key, unit=unit, unit_path=unit.path, value=rng.randint(1, 9)
            )
            touched.add((unit.pk, month))
    return touched


def _subtree_counts() -> set:
    return set(
        SubtreeCount.objects.exclude(value=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "dimension", "value"
        )
    )


def _subtree_counts_by_hand() -> set:
    """Each unit's sums over its whole subtree, month, metric and dimension, from the daily rows
    themselves."""
    sums: dict = {}
    for unit in OrgUnit.objects.all():
        for metric, dimension, day, value in DailyCount.objects.filter(
            unit_path__startswith=unit.path, metric__in=rollups.SUBTREE_SUMS
        ).values_list("metric", "dimension", "day", "value"):
            key = (unit.pk, unit.path, unit.depth, metric, day.replace(day=1), dimension)
            sums[key] = sums.get(key, 0) + value
    return {(*key, value) for key, value in sums.items() if value}


def test_the_subtree_sums_kept_by_differences_equal_a_recount(people):
    rng = random.Random(17)
    for _round in range(6):
        rollups.refresh_months(_counts(people, rng, 25))
        assert _subtree_counts() == _subtree_counts_by_hand()
    assert len({row[2] for row in _subtree_counts()}) >= 3  # several levels of the tree
    assert {row[3] for row in _subtree_counts()} == set(DIMENSIONS)
    assert rollups.rebuild_subtree_counts() == len(_subtree_counts())
    assert _subtree_counts() == _subtree_counts_by_hand()
    # Only the catalogue's sums: the map's cells are read per unit and never summed above it.
    unit = people.office_a
    DailyCount.objects.create(
        officer=people.officer_a, day=MONTHS[0], unit=unit, unit_path=unit.path,
        metric="map_cell", dimension="1:2", value=1,
    )  # fmt: skip
    rollups.refresh_months([(unit.pk, MONTHS[0])])
    assert MonthlyCount.objects.filter(metric="map_cell").exists()
    assert not SubtreeCount.objects.filter(kind="map_cell").exists()
    # A wrong difference shows.
    SubtreeCount.objects.filter(value__gt=0).order_by("pk").update(value=99)
    assert _subtree_counts() != _subtree_counts_by_hand()


def test_a_difference_of_thousands_of_rows_with_one_step_is_added_to_each(people):
    """A bulk load's refresh adds the same step to thousands of rows at once; SQLite refuses an
    expression deeper than 1,000 (`seed_demo --scale 10000` on the demo's database did)."""
    unit = people.office_a
    delta = Counter(
        {
            (unit.pk, unit.path, unit.depth, "findings", MONTHS[0], f"d{number}"): 1
            for number in range(2_500)
        }
    )
    rollups._increment(SubtreeCount, "dimension", "value", delta)
    rollups._increment(SubtreeCount, "dimension", "value", delta + Counter({next(iter(delta)): 1}))
    values = Counter(SubtreeCount.objects.filter(unit=unit).values_list("value", flat=True))
    assert values == {2: 2_499, 3: 1}


def test_sums_over_whole_subtrees_read_the_subtree_sums_and_equal_the_daily_rows(people):
    rng = random.Random(23)
    rollups.refresh_months(_counts(people, rng, 150))
    # A subtree's sum brought back to 0 keeps its row: a reading leaves it out, as it finds
    # no unit row.
    emptied = (
        SubtreeCount.objects.filter(value__gt=0, kind="findings").order_by("-depth", "pk").first()
    )
    gone = DailyCount.objects.filter(
        unit_path__startswith=emptied.unit_path,
        metric=emptied.kind,
        dimension=emptied.dimension,
        day__gte=emptied.day,
        day__lte=_end(emptied.day),
    )
    touched = {(unit_id, emptied.day) for unit_id in gone.values_list("unit_id", flat=True)}
    gone.delete()
    rollups.refresh_months(touched)
    assert SubtreeCount.objects.filter(value=0).exists()
    dg = people.dg
    children = list(dg.children.all())
    offices = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE))
    periods = {"now": SPANS[2], "before": SPANS[1]}
    readings = [
        *[{"rows": Rows(paths=(unit.path,))} for unit in OrgUnit.objects.all()],
        # The national trend: one group per month.
        {"rows": Rows(paths=(dg.path,)), "group": queries.MONTH},
        # The children table and the league: one group per child unit, and per month.
        {"rows": Rows(paths=tuple(c.path for c in children)),
         "group": queries.child_group(children)},
        {"rows": Rows(paths=tuple(o.path for o in offices)),
         "group": (queries.child_group(offices), queries.MONTH)},
    ]  # fmt: skip
    for reading in readings:
        for first, last in SPANS:
            with CaptureQueriesContext(connection) as captured:
                found = queries.measure(SUMMED, start=first, end=last, **reading)
            sql = " ".join(query["sql"] for query in captured.captured_queries)
            assert "insights_subtreecount" in sql
            assert "insights_monthlycount" not in sql
            assert found == queries.measure(SUMMED, start=first, end=last, daily=True, **reading)
    # Several periods side by side (this month, the one before), by child unit.
    group = (queries.child_group(children), queries.period_group(periods))
    reading = {
        "rows": Rows(paths=tuple(c.path for c in children)),
        "start": SPANS[1][0],
        "end": SPANS[2][1],
        "group": group,
        "ranges": list(periods.values()),
    }
    found = queries.measure(SUMMED, **reading)
    assert len(found) >= 2
    assert found == queries.measure(SUMMED, **reading, daily=True)
    national = queries.measure([ACTIVITIES], rows=Rows(paths=(dg.path,)), start=MONTHS[0],
                               end=_end(MONTHS[-1]))[None]["activities"]  # fmt: skip
    assert national == sum(
        DailyCount.objects.filter(metric="activities").values_list("value", flat=True)
    )
    assert national > 0
    # The breakdowns (findings by type) of one whole subtree: the same as their daily rows.
    for unit in OrgUnit.objects.all():
        for first, last in SPANS:
            with CaptureQueriesContext(connection) as captured:
                found = queries.breakdowns(
                    [FINDINGS, OVERSTAYS], rows=Rows(paths=(unit.path,)), start=first, end=last
                )
            assert "insights_subtreecount" in captured.captured_queries[0]["sql"]
            by_hand: dict = {}
            for dimension, value in DailyCount.objects.filter(
                metric="findings", unit_path__startswith=unit.path, day__gte=first, day__lte=last
            ).values_list("dimension", "value"):
                by_hand[dimension] = by_hand.get(dimension, 0) + value
            assert dict(found["findings"]) == {k: v for k, v in by_hand.items() if v}
            assert dict(found["overstays"]) == {
                k: v for k, v in by_hand.items() if v and k.startswith("overstay")
            }
    # Part of a month, or an officer's own rows, still read their own rows.
    with CaptureQueriesContext(connection) as captured:
        queries.measure(
            SUMMED, rows=Rows(paths=(dg.path,)), start=MONTHS[3], end=MONTHS[3].replace(day=10)
        )
    assert "insights_subtreecount" not in captured.captured_queries[0]["sql"]


def test_offices_of_several_depths_group_by_their_subtrees_as_by_their_office(people):
    """A league's offices: most under the directorate, some under regional offices. Grouped
    as children (each office's whole subtree), the sums are those of grouping each unit by
    its office, read from the subtrees' own rows."""
    kind = OrgUnit.Kind
    office_c = accounts.orgunit_create(
        by=None, kind=kind.IMMIGRATION_OFFICE, code="KI-X", name="Kanim X", parent=people.dg,
        timezone_name="Asia/Jayapura",
    )  # fmt: skip
    accounts.orgunit_create(
        by=None, kind=kind.SECTION, code="KI-X-INTEL", name="Seksi X", parent=office_c
    )
    rng = random.Random(29)
    rollups.refresh_months(_counts(people, rng, 200))
    offices = list(OrgUnit.objects.filter(kind=kind.IMMIGRATION_OFFICE).order_by("name"))
    assert {office.depth for office in offices} == {1, 2}
    group = league._group(offices, "office")
    assert getattr(group, "subtrees", None) is not None
    wanted = SUMMED
    rows = Rows(paths=(people.dg.path,))
    for first, last in SPANS:
        for parts in ((group,), (group, queries.MONTH)):
            by_office = ("unit__office_id", *parts[1:])
            reading = {"rows": rows, "start": first, "end": last}
            with CaptureQueriesContext(connection) as captured:
                found = queries.measure(wanted, **reading, group=parts if len(parts) > 1 else group)
            expected = queries.measure(
                wanted, **reading, group=by_office if len(parts) > 1 else "unit__office_id"
            )
            # Units in no office (the directorate's, the regional offices' own) group nowhere.
            offices_only = {
                key: value
                for key, value in expected.items()
                if (key[0] if isinstance(key, tuple) else key) is not None
            }
            assert found == offices_only
            assert "insights_subtreecount" in " ".join(q["sql"] for q in captured.captured_queries)
    assert any(key == office_c.pk for key in found if not isinstance(key, tuple)) or any(
        key[0] == office_c.pk for key in found if isinstance(key, tuple)
    )
