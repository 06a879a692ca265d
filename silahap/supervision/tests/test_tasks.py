"""Warrants and tasks: who records them, the activity that carries a task out, done and overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.reports import services as reports
from silahap.supervision import queries, services, tasks
from silahap.supervision.models import Notification, Task
from silahap.supervision.tests.helpers import (
    DAY,
    WIB,
    at,
    audit_records,
    field_activity,
    place,
    task_for,
    warrant,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a signed warrant\n"


def test_a_leader_records_a_warrant_with_its_scan(people):
    with audit_records("warrant.create"):
        created = warrant(people, scan=PDF)
    assert created.scan_content_type == "application/pdf"
    assert "SP-01" not in created.scan.name  # stored under a random key, not the number
    with default_storage.open(created.scan.name) as stored:
        assert stored.read() == PDF
    assert set(created.members.all()) == {people.officer_a, people.officer_a2}


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(people):
    with pytest.raises(ValidationError) as error:
        warrant(people, scan=b"<html>not a scan</html>")
    assert "scan" in error.value.message_dict


def test_officers_and_other_units_leaders_cannot_record_warrants(people):
    for outsider in (people.officer_a, people.leader_b, people.analyst):
        with pytest.raises(PermissionDenied):
            services.warrant_create(
                by=outsider,
                unit=people.section_a,
                number="SP-X",
                issued_on=DAY,
                signer="X",
                period_start=DAY,
                period_end=DAY,
            )


def test_warrant_members_must_belong_to_the_unit(people):
    with pytest.raises(ValidationError):
        warrant(people, members=[people.officer_b])


def test_a_task_goes_to_one_officer_or_one_team_of_the_unit(people):
    work_warrant = warrant(people)
    with pytest.raises(ValidationError):
        services.task_create(
            by=people.leader_a,
            warrant=work_warrant,
            assignee=people.officer_a,
            team=people.team_a,
            instructions="x",
            due_date=DAY,
            target_area="x",
        )
    with pytest.raises(ValidationError):
        services.task_create(
            by=people.leader_a,
            warrant=work_warrant,
            assignee=people.officer_b,
            instructions="x",
            due_date=DAY,
            target_area="x",
        )
    with audit_records("task.create"):
        team_task = services.task_create(
            by=people.leader_a,
            warrant=work_warrant,
            team=people.team_a,
            instructions="Patroli",
            due_date=DAY,
            target_area="Cikokol",
        )
    assert set(Task.objects.assigned_to(people.officer_a2)) == {team_task}


def test_task_assignment_is_queued_and_notifies_the_officer_once(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = task_for(people, warrant(people))
    event = BusinessEvent.objects.get(type="task.assigned")
    assert (event.object_id, event.actor_id) == (str(created.pk), people.leader_a.pk)
    # The commit queued a drain of the spine, which dispatches the event (with any others).
    assert DBTaskResult.objects.filter(task_path="silahap.events.spine.drain_events").exists()
    assert spine.drain_events.call() >= 1
    event.refresh_from_db()
    assert event.handled_at is not None
    assert spine.dispatch_event.call(event.pk) == 0  # once per event
    assert spine.drain_events.call() == 0
    assert tasks.notify_task_assigned.call(created.pk) == 0  # and once per (kind, object, day)
    notification = Notification.objects.get()
    assert notification.recipient == people.officer_a
    assert notification.kind == "task_assigned"


def test_the_task_is_done_when_the_linked_activitys_report_is_submitted(people):
    work = task_for(people, warrant(people))
    activity = field_activity(
        by=people.officer_a, started_at=at(9, day=DAY, zone=WIB), place=place(by=people.officer_a)
    )
    with audit_records("task.link_activity"):
        services.task_link_activity(task=work, activity=activity, by=people.officer_a)
    with audit_records():
        services.task_link_activity(task=work, activity=activity, by=people.officer_a)  # again
    state = Task.objects.with_state(DAY).get()
    assert not state.is_done
    assert not state.is_overdue
    reports.report_submit(report=activity.report, by=people.officer_a, now=at(17, day=DAY))
    assert Task.objects.with_state(DAY + datetime.timedelta(days=5)).get().is_done
    assert list(queries.tasks_for_officer(people.officer_a, DAY)) == []


def test_a_task_past_its_due_date_and_not_done_is_overdue(people):
    task_for(people, warrant(people))
    assert not Task.objects.with_state(DAY + datetime.timedelta(days=1)).get().is_overdue
    assert Task.objects.with_state(DAY + datetime.timedelta(days=2)).get().is_overdue


def test_only_the_tasked_officer_links_their_own_activity(people):
    work = task_for(people, warrant(people))
    other = field_activity(
        by=people.officer_a2, started_at=at(9, day=DAY), place=place(by=people.officer_a2)
    )
    with pytest.raises(PermissionDenied):
        services.task_link_activity(task=work, activity=other, by=people.officer_a2)
    with pytest.raises(PermissionDenied):
        services.task_link_activity(task=work, activity=other, by=people.officer_a)


def test_an_activity_carries_out_only_one_task(people):
    work_warrant = warrant(people)
    first, second = task_for(people, work_warrant), task_for(people, work_warrant)
    activity = field_activity(
        by=people.officer_a, started_at=at(9, day=DAY), place=place(by=people.officer_a)
    )
    services.task_link_activity(task=first, activity=activity, by=people.officer_a)
    with pytest.raises(ValidationError):
        services.task_link_activity(task=second, activity=activity, by=people.officer_a)


def test_officers_see_only_their_own_tasks(people):
    task_for(people, warrant(people))
    assert Task.objects.visible_to(people.officer_a).count() == 1
    assert Task.objects.visible_to(people.officer_a2).count() == 0
    assert Task.objects.visible_to(people.leader_a).count() == 1
    assert Task.objects.visible_to(people.leader_b).count() == 0


def test_the_officers_open_tasks_show_on_the_today_page_through_its_section(client, people):
    work = task_for(people, warrant(people))
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:today")).content.decode()
    assert 'data-testid="officer-tasks"' in page
    assert f'data-task="{work.pk}"' in page
    client.force_login(people.officer_b)
    assert f'data-task="{work.pk}"' not in client.get(reverse("reports:today")).content.decode()
