"""insights/0015 adds each subtree's distinct values per month (SubtreeMonthSeen) for the runs
already kept: the rows it writes are the rows the rollups keep."""

from __future__ import annotations

import datetime

import pytest

from silahap.accounts.models import OrgUnit
from silahap.insights import rollups
from silahap.insights.models import MonthlyValue, SubtreeMonthSeen
from silahap.testing.migrations import migrate


def _totals() -> set:
    return set(
        SubtreeMonthSeen.objects.values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value"
        )
    )


@pytest.mark.usefixtures("back_at_latest")
def test_the_migration_writes_the_month_totals_the_rollups_keep(people):
    units = list(OrgUnit.objects.order_by("path"))
    months = [datetime.date(2026, month, 1) for month in range(1, 7)]
    added = set()
    for index, unit in enumerate(units):
        for month in months[index % 3 :]:
            for value in range(index % 4, index % 4 + 5):
                MonthlyValue.objects.create(
                    unit=unit, unit_path=unit.path, day=month, kind="person", value=value
                )
                added.add(("person", value, unit.path, month))
    rollups._update_seen(removed=set(), added=added)
    kept = _totals()
    # Several units, months and depths; a value seen in two units of a subtree counts once.
    assert len({row[0] for row in kept}) >= 3
    assert len({row[2] for row in kept}) >= 2
    root = units[0]
    january = {value for _kind, value, _path, day in added if day == months[0]}
    assert (root.pk, root.path, 0, "person", months[0], len(january)) in kept
    migrate([("insights", "0014_monthly_count_dimension")])
    migrate([("insights", "0015_subtree_month_seen")])
    assert _totals() == kept
