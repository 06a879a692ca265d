"""`manage.py api_bench` runs end to end on small numbers (the real run is `make bench`)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from silahap.events import spine
from silahap.events.models import BusinessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(monkeypatch):
    """The bench settles its process like a served one; a test process must not be frozen."""
    calls = []
    monkeypatch.setattr(
        "silahap.integration.management.commands.api_bench.settle_served_process",
        lambda: calls.append(True),
    )
    return calls


def test_bench_measures_the_feed_beside_an_event_not_numbered_yet(settled):
    # Committed but not sequenced yet (the scheduler's sweep numbers it): no position. The
    # bench once read the feed's top from the first row by "-position", which PostgreSQL sorts
    # NULL first, and stopped with a TypeError.
    spine.record(type="report.submitted", object_type="reports.dailyreport", object_id=1)
    assert BusinessEvent.objects.filter(position__isnull=True).exists()
    out = io.StringIO()
    call_command("api_bench", events=300, activities=400, queries=5, stdout=out)
    report = out.getvalue()
    for where in ("start", "middle", "end"):
        assert f"cursor at {where}: p50" in report
    assert BusinessEvent.objects.filter(object_type="bench.event").count() == 300
    assert settled == [True]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the reports list is benched on PostgreSQL"
)
def test_bench_prints_the_list_against_its_query_and_against_the_whole_page(settled):
    out = io.StringIO()
    call_command("api_bench", events=10, activities=400, queries=5, stdout=out)
    report = out.getvalue()
    assert "against the list query alone: raw SQL p95" in report
    assert "against all 4 statements of the page" in report
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('api_bench_audit_copy')")
        assert cursor.fetchone()[0] is None  # the scratch copy of the audit table is gone
