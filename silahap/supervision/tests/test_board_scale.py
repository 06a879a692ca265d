"""The board, the review queue and the leader's home cost the same however long the history:
the same number of queries at two sizes, and on PostgreSQL plans that reach activities,
reports and persons by an index (with sequential scans priced out, since a small test table
makes a scan the cheapest plan)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.supervision.tests.helpers import (
    SCANNED,
    _history,
    _today,
    explain,
)

pytestmark = pytest.mark.django_db

# Of every six history reports one waits for review (testing.history.STATUSES).
PENDING_PER_SIX = 1


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
