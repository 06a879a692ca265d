"""insights/0018 adds each subtree's map counts by wide cell (SubtreeCount, kinds
supervision_map.WIDE) for the unit-months already kept: the rows it writes are the rows the
rollups keep, summed over the units below and the fine cells inside."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from silahap.insights import rollups
from silahap.insights import supervision_map as peta
from silahap.insights.models import MonthlyCount, SubtreeCount
from silahap.testing.migrations import migrate

MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)


def _wide() -> set:
    return set(
        SubtreeCount.objects.filter(kind__in=peta.WIDE.values())
        .exclude(value=0)
        .values_list("unit_path", "depth", "kind", "day", "dimension", "value")
    )


@pytest.mark.usefixtures("back_at_latest")
def test_the_migration_writes_the_wide_cells_the_rollups_keep(people):
    # Two fine cells of one wide cell (-77 and -73 both floor to -10 by 8), one of the next
    # (-72 floors to -9), in two teams of two offices and two months.
    rows = [
        (people.team_a, MARCH, peta.CELL, "-77:1450", 3),
        (people.team_a, MARCH, peta.CELL, "-73:1451", 2),
        (people.team_a, MARCH, peta.CELL, "-72:1450", 1),
        (people.team_a, APRIL, peta.CELL, "-77:1450", 4),
        (people.section_b, MARCH, peta.CELL, "-77:1450", 5),
        (people.team_a, MARCH, peta.CELL_VIOLATION, "overstay_lt_60|-77:1450", 2),
        (people.team_a, MARCH, peta.CELL_NATIONALITY, "CN|-73:1451", 1),
        (people.team_a, MARCH, peta.CELL_PAIR, "overstay_lt_60|CN|-73:1451", 1),
        # Not a cell: counted per subtree as it is, never widened.
        (people.team_a, MARCH, "activities", "field", 6),
    ]
    for unit, month, metric, dimension, value in rows:
        MonthlyCount.objects.create(
            unit=unit, unit_path=unit.path, day=month, metric=metric, dimension=dimension,
            value=value,
        )  # fmt: skip
    rollups.rebuild_subtree_counts()
    kept = _wide()
    wide, violation = peta.WIDE[peta.CELL], peta.WIDE[peta.CELL_VIOLATION]
    dg, office_a = people.dg.path, people.office_a.path
    # The team's two fine cells in one wide cell are one row; the whole country adds office B's.
    assert (office_a, 2, wide, MARCH, "-10:181", 5) in kept
    assert (office_a, 2, wide, MARCH, "-9:181", 1) in kept
    assert (dg, 0, wide, MARCH, "-10:181", 10) in kept
    assert (dg, 0, wide, APRIL, "-10:181", 4) in kept
    assert (dg, 0, violation, MARCH, "overstay_lt_60|-10:181", 2) in kept
    assert (dg, 0, peta.WIDE[peta.CELL_PAIR], MARCH, "overstay_lt_60|CN|-10:181", 1) in kept
    assert SubtreeCount.objects.filter(kind="activities", dimension="field", value=6).exists()
    migrate([("insights", "0017_officer_month_count")])
    assert not _wide()
    assert SubtreeCount.objects.filter(kind="activities", dimension="field", value=6).exists()
    migrate([("insights", "0018_map_wide_cells")])
    assert _wide() == kept
    # What an old worker left behind in a rolling update: a wide row it never added to.
    SubtreeCount.objects.filter(kind=wide, unit_path=dg).update(value=1)
    output = io.StringIO()
    call_command("rollups_recompute", "--map-cells", stdout=output)
    assert "map cells counted again" in output.getvalue()
    assert _wide() == kept


def test_a_fine_cell_widens_to_the_wide_cell_holding_it():
    assert peta.WIDE_STEP == 2 ** (peta.FINE_ZOOM - peta.WIDE_ZOOM)
    assert peta.widened("-77:1450") == f"{-77 // peta.WIDE_STEP}:{1450 // peta.WIDE_STEP}"
    assert peta.widened("CN|0:-1") == "CN|0:-1"
    assert peta.widened("overstay_lt_60|CN|15:17") == "overstay_lt_60|CN|1:2"
