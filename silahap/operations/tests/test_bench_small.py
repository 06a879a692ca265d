"""The small twin of `manage.py operations_bench`: the bulk-built national operation's roll-up
matches its records, and the measurement reports both timings."""

from __future__ import annotations

import pytest

from silahap.operations import bench, results

pytestmark = pytest.mark.django_db


def test_the_bench_builds_a_national_operation_and_times_its_roll_up(people):
    root, analyst = bench.build(offices=4, checks=100)
    rows = results.rollup_rows(root)
    assert len(rows) == 4
    assert sum(row["checked"] for row in rows) > 0
    assert sum(row["tak_total"] for row in rows) >= 0
    measured = bench.measure(root, analyst, runs=3)
    assert measured["offices"] == 4
    assert measured["checks"] == 100
    assert measured["page_p95_ms"] > 0
    assert measured["raw_sql_p95_ms"] > 0
