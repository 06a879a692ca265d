"""Distinct persons and places over runs of whole months, read from the subtrees' runs.

SubtreeSeen is kept by applying differences (`rollups._update_seen`); these tests hold it equal
to a recount after many random changes over several months and units, and hold every reading
that sums it equal to counting the distinct values of the monthly sets by hand.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection

from silahap.accounts.models import OrgUnit
from silahap.insights import queries, rollups
from silahap.insights.metrics import BY_KEY
from silahap.insights.models import MonthlyValue, SubtreeSeen
from silahap.insights.queries import Rows

MONTHS = [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1)] + [
    datetime.date(2026, month, 1) for month in range(1, 8)
]
PERSONS = BY_KEY["persons_checked"]
PLACES = BY_KEY["places_visited"]


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
    assert _kept()
    kept = _kept()
    assert rollups.rebuild_seen() == len(kept) == len(_kept())
    assert _kept() == kept
    # A wrong difference shows: one count off by one is a mismatch.
    SubtreeSeen.objects.filter(value__gt=0).order_by("pk").update(value=99)
    assert _kept() != _recounted()


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
    assert queries._seen(PERSONS, Rows(paths=both), [(first, last)], None) is None
    if connection.vendor == "postgresql":
        region = people.office_a.parent
        group = queries.ancestor_group(region.depth)
        # Read from below the grouping depth: the group is part of its region only.
        assert queries._seen(PERSONS, Rows(paths=(people.office_a.path,)), SPANS, group) is None
        by_region = queries.measure(
            [PERSONS], rows=Rows(paths=(people.dg.path,)), start=first, end=last, group=group
        )
        assert by_region[region.pk]["persons_checked"] == _distinct(
            "person", region.path, first, last
        )
