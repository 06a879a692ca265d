"""The board, the review queue and the leader's home cost the same however long the history:
the same number of queries at two sizes, and on PostgreSQL plans that reach activities,
reports and persons by an index (with sequential scans priced out, since a small test table
makes a scan the cheapest plan)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.reports.models import DailyReport
from silahap.reports.tests.factories import place
from silahap.supervision.tests.test_board import activity_now
from silahap.testing.history import add_history

pytestmark = pytest.mark.django_db

TABLES = "reports_activity|reports_dailyreport|registry_foreignnational"
SCANNED = re.compile(rf"Seq Scan on ({TABLES})\b")
# Of every six history reports one waits for review (testing.history.STATUSES).
PENDING_PER_SIX = 1


def _today(people):
    for officer in (people.officer_a, people.officer_a2):
        for minutes in (10, 20):
            activity_now(officer, minutes_ago=minutes, place=place(by=officer, name=f"H{minutes}"))


def _history(people, reports):
    oldest = DailyReport.objects.order_by("report_date").values_list("report_date", flat=True)
    return add_history(
        officers=[people.officer_a, people.officer_a2],
        unit=people.team_a,
        decider=people.leader_a,
        reports=reports,
        before=oldest.first(),
    )


def _get(client, name):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("name", "bound"), [("supervision:board", 21), ("reports:review_queue", 8), ("home", 10)]
)
def test_the_leaders_pages_cost_the_same_queries_with_ten_times_the_history(
    client, people, name, bound, django_assert_max_num_queries
):
    _today(people)
    _history(people, 60)
    client.force_login(people.leader_a)
    client.get(reverse(name))  # what a first request caches (holidays, the session)
    _response, small = _get(client, name)
    _history(people, 600)
    with django_assert_max_num_queries(bound):
        response, large = _get(client, name)
    assert len(large) == len(small)
    pending = 660 // 6 * PENDING_PER_SIX
    if name == "supervision:board":
        assert len(response.context["activities"]) == 4
        assert response.context["queue_count"] == pending
        assert len(response.context["queue"]) == 20
    elif name == "reports:review_queue":
        assert response.content.decode().count('data-testid="queue-report"') == pending
        assert all(report.activity_count == 2 for report in response.context["reports"])
    else:
        assert response.context["queue_count"] == pending


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize("name", ["supervision:board", "reports:review_queue", "home"])
def test_the_leaders_pages_reach_history_by_an_index(client, people, name):
    _today(people)
    _history(people, 200)
    with connection.cursor() as cursor:
        for table in ("reports_activity", "reports_dailyreport"):
            cursor.execute(f"ANALYZE {table}")
    client.force_login(people.leader_a)
    client.get(reverse(name))
    _response, queries = _get(client, name)
    plans = explain(queries)
    assert any("reports_dailyreport" in plan for plan in plans)
    scans = [plan for plan in plans if SCANNED.search(plan)]
    assert scans == []


def explain(queries: list[str]) -> list[str]:
    """The plans of the SELECTs among `queries`, with sequential scans priced out."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql.replace("%", "%%"))
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plans
