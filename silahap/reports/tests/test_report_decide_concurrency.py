"""Two leaders deciding on one report at once: one decision wins, the other is refused."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from silahap.audit.models import AuditEvent
from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at

DECISIONS = {
    "approve": lambda report, leader: services.report_approve(report=report, by=leader),
    "return": lambda report, leader: services.report_return(
        report=report, by=leader, reason=f"Returned by {leader.username}."
    ),
}
PAIRS = [("approve", "approve"), ("approve", "return"), ("return", "approve"), ("return", "return")]
OUTCOME = {"approve": DailyReport.Status.APPROVED, "return": DailyReport.Status.RETURNED}


def submitted_report(people) -> DailyReport:
    place = factories.place(by=people.officer_a)
    return factories.submitted_report(by=people.officer_a, started_at=at(9, 0), at_place=place)


def decision_events(report) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="reports.dailyreport",
            object_id=str(report.pk),
            action__in=["report.approve", "report.return"],
        ).values_list("action", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_a_decision_on_a_stale_copy_of_a_decided_report_is_refused(people, first, second):
    report = submitted_report(people)
    # Each leader's page loaded the report while it was still submitted.
    seen_by_leader = DailyReport.objects.get(pk=report.pk)
    seen_by_head = DailyReport.objects.get(pk=report.pk)
    DECISIONS[first](seen_by_leader, people.leader_a)
    assert seen_by_head.status == DailyReport.Status.SUBMITTED
    with pytest.raises(ValidationError):
        DECISIONS[second](seen_by_head, people.head_a)
    report.refresh_from_db()
    assert report.status == OUTCOME[first]
    assert report.decided_by == people.leader_a
    assert decision_events(report) == [f"report.{first}"]


def waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless the snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(DISTINCT activity.pid) FROM pg_locks lock"
            " JOIN pg_stat_activity activity ON activity.pid = lock.pid"
            " WHERE NOT lock.granted AND activity.datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so two decisions cannot overlap; "
    "the stale-copy test covers the rule there",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_leaders_deciding_at_once_one_wins_and_the_other_is_refused(people, first, second):
    report = submitted_report(people)
    deciders = [(first, people.leader_a), (second, people.head_a)]
    outcomes: dict[str, str] = {}

    def decide(action, leader):
        try:
            DECISIONS[action](DailyReport.objects.get(pk=report.pk), leader)
            outcomes[leader.username] = "decided"
        except ValidationError:
            outcomes[leader.username] = "refused"
        except Exception as error:  # noqa: BLE001 — anything else fails the assertion below
            outcomes[leader.username] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=decider) for decider in deciders]
    # Hold the row until both leaders are queued behind it, so the two decisions truly overlap.
    with transaction.atomic():
        DailyReport.objects.select_for_update().get(pk=report.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while waiting_for_a_lock() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert waiting_for_a_lock() == 2
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["decided", "refused"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "decided")
    action = dict((leader.username, action) for action, leader in deciders)[winner]
    report.refresh_from_db()
    assert report.status == OUTCOME[action]
    assert report.decided_by.username == winner
    assert decision_events(report) == [f"report.{action}"]
