"""An unusual-access alert reaches the officer's leaders in the app and by email, once a day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.supervision.models import Notification
from silahap.supervision.tasks import notify_unusual_access
from silahap.testing.worker import run_queued

MORNING = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Jakarta


def view_persons(user, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        audit.record(
            action="person.view",
            actor=user,
            object_type="registry.foreignnational",
            object_id=number,
            purpose="supervision",
        )


@pytest.fixture
def limit_five(settings):
    settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = 5


@pytest.mark.django_db
def test_the_leader_is_told_in_the_app_and_by_mail_after_the_views_commit(
    people, limit_five, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.filter(pk=people.leader_a.pk).update(email="leader.a@imigrasi.go.id")
    with time_machine.travel(MORNING), django_capture_on_commit_callbacks(execute=False) as queued:
        view_persons(people.officer_a, 6)
    # Besides the audit trail's sealer, which runs after every commit that recorded an event.
    queued = [callback for callback in queued if callback is not audit.seal_soon]
    assert len(queued) == 1  # nothing is sent before the views are committed
    for callback in queued:
        callback()
    assert run_queued() == 1
    notification = Notification.objects.get(recipient=people.leader_a)
    assert notification.kind == "unusual_access"
    assert notification.params == {"user": str(people.officer_a), "count": 6}
    assert notification.url == "/audit/?actor=officer_a"
    assert notification.day == datetime.date(2026, 3, 3)
    assert mailoutbox[0].to == ["leader.a@imigrasi.go.id"]
    # Mail goes out in the interface's default language, Indonesian.
    assert "membuka 6 data orang asing dalam satu jam" in mailoutbox[0].body


@pytest.mark.django_db
def test_nobody_but_the_nearest_leaders_is_told(
    people, limit_five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        view_persons(people.officer_a, 6)
    run_queued()
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["leader_a"]


@pytest.mark.django_db
def test_a_later_alert_the_same_day_tells_nobody_again_but_the_next_day_does(
    people, limit_five, django_capture_on_commit_callbacks
):
    for moment in (MORNING, MORNING + datetime.timedelta(hours=2)):
        with time_machine.travel(moment), django_capture_on_commit_callbacks(execute=True):
            view_persons(people.officer_a, 6, start=moment.hour * 100)
    run_queued()
    assert audit.AuditEvent.objects.filter(action="alert.unusual_access").count() == 2
    assert Notification.objects.filter(recipient=people.leader_a).count() == 1
    next_day = MORNING + datetime.timedelta(days=1)
    with time_machine.travel(next_day), django_capture_on_commit_callbacks(execute=True):
        view_persons(people.officer_a, 6, start=5000)
    run_queued()
    assert Notification.objects.filter(recipient=people.leader_a).count() == 2


@pytest.mark.django_db
def test_views_within_the_limit_queue_nothing(
    people, limit_five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        view_persons(people.officer_a, 5)
    assert [callback for callback in queued if callback is not audit.seal_soon] == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_the_task_for_a_missing_alert_does_nothing(people):
    assert notify_unusual_access.call(999_999) == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_day_is_the_watched_accounts_office_day(
    people, limit_five, django_capture_on_commit_callbacks
):
    half_past_midnight_in_denpasar = datetime.datetime(2026, 3, 3, 16, 30, tzinfo=datetime.UTC)
    with (
        time_machine.travel(half_past_midnight_in_denpasar),
        django_capture_on_commit_callbacks(execute=True),
    ):
        view_persons(people.officer_b, 6)
    run_queued()
    notification = Notification.objects.get(recipient=people.leader_b)
    assert notification.day == datetime.date(2026, 3, 4)  # still the 3rd in Jakarta
