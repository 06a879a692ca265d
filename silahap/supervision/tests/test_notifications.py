"""Notifications: queued as background tasks, delivered in the app and by email, once each."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.accounts.models import User
from silahap.reports import services as reports
from silahap.supervision import scheduler, services, tasks
from silahap.supervision.context_processors import unread_count
from silahap.supervision.models import FollowUpStep, Notification
from silahap.supervision.tests.helpers import (
    COLLECTIVE_LEAVE,
    DAY,
    WIB,
    at,
    filed_report,
    finding_for,
    officer_in_new_office,
    place,
)
from silahap.testing.compiles import compiled_models
from silahap.testing.worker import run_queued

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            keys = scheduler.tick(now)
        run_queued()
        return keys

    return run


def test_the_scheduler_follows_each_offices_deadline_and_zone(people, tick):
    jayapura = officer_in_new_office(code="JYP", timezone_name="Asia/Jayapura", parent=people.dg)
    keys = tick(datetime.datetime(2025, 3, 11, 11, 5, tzinfo=UTC))  # 20:05 WIT, 19:05 WITA
    assert [k.split(":")[:2] for k in keys if k.startswith("missing")] == [["missing", "officer"]]
    assert kinds_for(jayapura) == ["report_missing"]
    assert kinds_for(people.officer_b) == []
    tick(datetime.datetime(2025, 3, 11, 13, 1, tzinfo=UTC))  # 20:01 WIB
    assert kinds_for(people.officer_b) == ["report_missing"]
    assert kinds_for(people.officer_a) == ["report_missing"]


def test_each_job_is_enqueued_once_and_each_notification_sent_once(people, tick):
    after = datetime.datetime(2025, 3, 11, 13, 30, tzinfo=UTC)
    assert tick(after)
    assert tick(after + datetime.timedelta(minutes=1)) == []

    tasks.notify_missing_reports.call(people.office_a.pk, DAY.isoformat(), "officer")  # again
    assert kinds_for(people.officer_a) == ["report_missing"]


def test_the_leader_hears_of_missing_reports_after_the_escalation_delay(people, tick, settings):
    settings.SILAHAP_MISSING_ESCALATION_MINUTES = 60
    filed_report(by=people.officer_a2, day=DAY, zone=WIB, at_place=place(by=people.officer_a2))
    # (The worker's drain also dispatches officer A2's submission: the leader hears of it.)
    tick(at(20, 30, day=DAY, zone=WIB))
    assert "reports_missing_unit" not in kinds_for(people.leader_a)
    tick(at(21, 0, day=DAY, zone=WIB))
    notification = Notification.objects.get(recipient=people.leader_a, kind="reports_missing_unit")
    assert notification.params["names"] == str(people.officer_a)
    # The nearest leader, not every leader above.
    assert "reports_missing_unit" not in kinds_for(people.head_a)


def test_nothing_is_missing_on_collective_leave(people, tick):
    assert tick(at(23, day=COLLECTIVE_LEAVE, zone=WIB)) == []
    assert Notification.objects.count() == 0


def test_report_submitted_returned_approved_reach_the_right_people(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.filter(pk=people.officer_a.pk).update(email="officer.a@imigrasi.go.id")
    people.officer_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report = filed_report(
            by=people.officer_a, day=DAY, zone=WIB, at_place=place(by=people.officer_a)
        )
    run_queued()
    assert kinds_for(people.leader_a) == ["report_submitted"]
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_return(report=report, by=people.leader_a, reason="Lengkapi.")
    run_queued()
    assert kinds_for(people.officer_a) == ["report_returned"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["officer.a@imigrasi.go.id"]
    assert "Lengkapi." in mailoutbox[0].body
    assert Notification.objects.get(recipient=people.officer_a).emailed_at is not None


def test_follow_up_steps_due_and_overdue_are_announced_and_escalated(people, tick):
    finding = finding_for(
        by=people.officer_a,
        started_at=at(9, day=DAY, zone=WIB),
        at_place=place(by=people.officer_a),
    )
    case = services.followup_open(finding=finding, by=people.officer_a)
    due_today = services.followup_step_add(
        by=people.leader_a,
        followup=case,
        kind=FollowUpStep.Kind.SUMMONS,
        assignee=people.officer_a,
        due_date=DAY,
    )
    tick(at(8, day=DAY, zone=WIB))
    assert kinds_for(people.officer_a) == ["step_due"]
    assert kinds_for(people.leader_a) == []
    tick(at(8, day=DAY + datetime.timedelta(days=1), zone=WIB))
    assert kinds_for(people.officer_a) == ["step_due", "step_overdue"]
    assert kinds_for(people.leader_a) == ["step_overdue"]
    services.followup_step_update(by=people.leader_a, step=due_today, status="done")
    tick(at(8, day=DAY + datetime.timedelta(days=2), zone=WIB))
    assert kinds_for(people.leader_a) == ["step_overdue"]


def test_the_bell_counts_unread_and_reading_clears_it(client, people, tick):
    tick(at(21, day=DAY, zone=WIB))

    client.force_login(people.officer_a)
    page = client.get(reverse("supervision:notification_list"))
    assert page.status_code == 200
    assert b'data-unread="1"' in page.content
    # The bell's accessible name holds the number it shows (WCAG 2.5.3, label in name).
    bell = page.content.decode().split('data-testid="bell"', 1)[1].split("</a>", 1)[0]
    assert "aria-label" not in bell
    assert '<span class="visually-hidden">Notifikasi</span>' in bell
    assert (
        '<span class="badge late" data-testid="bell-count">1<span class="visually-hidden">' in bell
    )
    assert client.post(reverse("supervision:notification_read")).status_code == 302
    assert (
        Notification.objects.filter(recipient=people.officer_a, read_at__isnull=True).count() == 0
    )


def unread(user) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "kind", flat=True
        )
    )


def test_the_bell_counts_only_what_is_still_open_and_opening_it_clears(
    client, people, django_capture_on_commit_callbacks
):
    """A report decided leaves every reviewer's bell; the officer's notice of the decision is
    cleared when they open the report it points to."""
    with django_capture_on_commit_callbacks(execute=True):
        report = filed_report(
            by=people.officer_a, day=DAY, zone=WIB, at_place=place(by=people.officer_a)
        )
    run_queued()
    assert unread(people.leader_a) == ["report_submitted"]
    client.force_login(people.leader_a)
    assert b'data-testid="bell-count">1<' in client.get(reverse("home")).content
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_return(report=report, by=people.leader_a, reason="Lengkapi.")
    run_queued()
    assert unread(people.leader_a) == []
    assert b'data-testid="bell-count"' not in client.get(reverse("home")).content
    assert unread(people.officer_a) == ["report_returned"]
    client.force_login(people.officer_a)
    assert b'data-testid="bell-count">1<' in client.get(reverse("home")).content
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert unread(people.officer_a) == [], (
        report.get_absolute_url(),
        list(Notification.objects.filter(recipient=people.officer_a).values_list("url", "kind")),
    )
    assert b'data-testid="bell-count"' not in page.content


def test_a_step_done_leaves_the_bell(people, tick):
    finding = finding_for(
        by=people.officer_a,
        started_at=at(9, day=DAY, zone=WIB),
        at_place=place(by=people.officer_a),
    )
    case = services.followup_open(finding=finding, by=people.officer_a)
    step = services.followup_step_add(
        by=people.leader_a,
        followup=case,
        kind=FollowUpStep.Kind.SUMMONS,
        assignee=people.officer_a,
        due_date=DAY,
    )
    tick(at(8, day=DAY + datetime.timedelta(days=1), zone=WIB))
    assert unread(people.officer_a) == ["step_overdue"]
    services.followup_step_update(by=people.leader_a, step=step, status="done")
    assert unread(people.officer_a) == []
    assert unread(people.leader_a) == []


def _statements_of_a_quiet_minute(tick, after) -> list[str]:
    tick(after)  # everything due today is enqueued and marked
    with CaptureQueriesContext(connection) as captured:
        assert tick(after + datetime.timedelta(minutes=1)) == []
    return [query["sql"] for query in captured.captured_queries]


def test_a_minute_with_nothing_new_due_reads_the_marks_once_and_writes_nothing(people, tick):
    # Past every office's deadline, escalation, follow-up and permit hours: five marks each.
    after = datetime.datetime(2025, 3, 11, 15, 30, tzinfo=UTC)  # 22:30 WIB
    few = _statements_of_a_quiet_minute(tick, after)
    for index in range(6):
        officer_in_new_office(code=f"Q{index}", timezone_name="Asia/Makassar", parent=people.dg)
    many = _statements_of_a_quiet_minute(tick, after + datetime.timedelta(minutes=10))

    # The same statements whatever the number of offices, none of them a write (before: an
    # INSERT tried and refused by the unique key, in a savepoint, per office and kind).
    assert len(many) == len(few)
    assert not [sql for sql in many if sql.split()[0] in ("INSERT", "UPDATE", "SAVEPOINT")]
    assert sum("supervision_schedulermark" in sql for sql in many) == 2  # read; old ones cleared


def test_the_bells_count_is_each_recipients_unread_only(people, monkeypatch):
    """The bell's COUNT is a statement compiled once per connection (context_processors): it
    counts one recipient's unread rows, none of anyone else's, and 0 when none is unread."""

    def note(user, n, read=False):
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.REPORT_RETURNED,
            object_type="test",
            object_id=str(n),
            day=DAY,
            read_at=at(9, day=DAY, zone=WIB) if read else None,
        )

    for n in range(3):
        note(people.officer_a, n)
    note(people.officer_a, 3, read=True)
    note(people.officer_b, 4)
    unread_count(people.leader_a)  # compiled here, if this connection had not yet
    compiles = compiled_models(monkeypatch)
    assert unread_count(people.officer_a) == 3
    assert unread_count(people.officer_b) == 1
    assert unread_count(people.leader_a) == 0
    assert Notification not in compiles
