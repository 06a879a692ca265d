"""insights/0013 counts the map's activities by violation type and nationality together, and the
regency table of a filtered map, for the reports filed before it: the rows it writes are the
rows the extractor writes for them."""

from __future__ import annotations

import pytest

from silahap.insights import supervision_map
from silahap.insights.models import DailyCount, MonthlyCount
from silahap.insights.tests.test_supervision_map import _mixed_map
from silahap.testing.migrations import migrate

BEFORE = [("insights", "0012_subtree_count")]
ADDED = (
    supervision_map.CELL_PAIR,
    supervision_map.REGENCY_BY,
    supervision_map.REGENCY_BY_CHECKS,
    supervision_map.REGENCY_BY_FINDINGS,
)


def _pairs() -> tuple[set, set]:
    daily = set(
        DailyCount.objects.filter(metric__in=ADDED).values_list(
            "officer_id", "day", "unit_id", "unit_path", "metric", "dimension", "value"
        )
    )
    monthly = set(
        MonthlyCount.objects.filter(metric__in=ADDED).values_list(
            "unit_id", "unit_path", "day", "metric", "dimension", "value"
        )
    )
    return daily, monthly


@pytest.mark.usefixtures("back_at_latest")
def test_the_migration_counts_the_pairs_the_extractor_counts(people):
    _mixed_map(people)
    kept = _pairs()
    assert kept[0]
    assert kept[1]
    assert {row[4] for row in kept[0]} == set(ADDED)
    # Two types and two nationalities: some activity counted under several pairs.
    pairs = {row[5].rsplit("|", 1)[0] for row in kept[0] if row[4] == supervision_map.CELL_PAIR}
    assert len(pairs) >= 3
    DailyCount.objects.filter(metric__in=ADDED).delete()
    MonthlyCount.objects.filter(metric__in=ADDED).delete()
    migrate(BEFORE)
    migrate([("insights", "0013_map_filter_counts")])
    assert _pairs() == kept
