"""insights/0017 adds each officer's monthly sums within a unit (OfficerMonthCount) for the
daily rows already kept: the rows it writes are the rows the rollups keep."""

from __future__ import annotations

import datetime

import pytest

from silahap.insights import rollups
from silahap.insights.models import DailyCount, OfficerMonthCount
from silahap.testing.migrations import migrate


def _rows() -> set:
    return set(
        OfficerMonthCount.objects.values_list(
            "officer_id", "unit_id", "unit_path", "day", "metric", "dimension", "value"
        )
    )


@pytest.mark.usefixtures("back_at_latest")
def test_the_migration_writes_the_officer_months_the_rollups_keep(people):
    team, other = people.team_a, people.section_b
    january, february = datetime.date(2026, 1, 5), datetime.date(2026, 2, 3)
    # Officer A moved to office B in February, A2 stayed: one unit per officer and day.
    days = {
        people.officer_a: [(team, january), (team, january.replace(day=20)), (other, february)],
        people.officer_a2: [(team, january), (team, february), (team, february.replace(day=9))],
    }
    for index, (officer, worked) in enumerate(days.items()):
        for unit, day in worked:
            for metric, dimension, value in (
                ("activities", "field", 1 + index),
                ("findings", "overstay", 2),
                ("findings", "unauthorized_work", index),
                ("map_cell", "-77:1450", 7),  # not a catalogue sum: no officer-month
            ):
                DailyCount.objects.create(
                    officer=officer,
                    unit=unit,
                    unit_path=unit.path,
                    day=day,
                    metric=metric,
                    dimension=dimension,
                    value=value,
                )
    rollups.rebuild_all_months()
    kept = _rows()
    a = people.officer_a.pk
    # January's two days summed; a sum of 0 and a map cell have no row; each unit on its own.
    assert (a, team.pk, team.path, datetime.date(2026, 1, 1), "activities", "field", 2) in kept
    assert (a, other.pk, other.path, february.replace(day=1), "findings", "overstay", 2) in kept
    assert not {row for row in kept if row[4] == "map_cell" or row[6] == 0}
    assert len({(row[0], row[1]) for row in kept}) == 3
    migrate([("insights", "0016_subtree_seen_covering")])
    migrate([("insights", "0017_officer_month_count")])
    assert _rows() == kept
