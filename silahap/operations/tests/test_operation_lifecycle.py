"""planned → approved → running (from the start, with no write) → finished → reported; or
postponed / cancelled with a reason. Every change audited, on the spine and in the history."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.events.models import BusinessEvent
from silahap.operations.models import Operation, OperationTransition
from silahap.operations.services import operations as ops
from silahap.operations.services.running import operation_activity_link
from silahap.operations.tests.helpers import joint_operation, operation_activity
from silahap.reports import services as reports

pytestmark = pytest.mark.django_db


def test_an_approved_operation_is_running_from_its_start_without_a_write(people):
    start = timezone.now() + datetime.timedelta(hours=1)
    operation = joint_operation(people, starts_at=start, ends_at=start + datetime.timedelta(days=1))
    assert operation.state() == "approved"
    assert not Operation.objects.running().filter(pk=operation.pk).exists()
    later = start + datetime.timedelta(minutes=1)
    assert operation.state(later) == "running"
    assert Operation.objects.running(later).filter(pk=operation.pk).exists()
    assert ops.operation_start_due(now=later) == 1
    operation.refresh_from_db()
    assert operation.status == "running"
    assert BusinessEvent.objects.filter(
        type="operation.started", object_id=str(operation.pk)
    ).exists()
    assert ops.operation_start_due(now=later) == 0


def test_the_full_lifecycle_is_recorded_with_who_and_when(people):
    operation = joint_operation(people)
    ops.operation_finish(by=people.leader_a, operation=operation)
    ops.operation_report(
        by=people.leader_a, operation=operation, conclusions="Tertib.", recommendations="Lanjut."
    )
    operation.refresh_from_db()
    assert operation.status == "reported"
    history = list(
        OperationTransition.objects.filter(operation=operation).values_list("to_status", "by")
    )
    assert [to for to, _ in history] == ["planned", "approved", "finished", "reported"]
    assert history[1][1] == people.head_a.pk
    types = set(
        BusinessEvent.objects.filter(
            object_id=str(operation.pk), object_type="operations.operation"
        ).values_list("type", flat=True)
    )
    assert {
        "operation.created",
        "operation.approved",
        "operation.finished",
        "operation.reported",
    } <= types


def test_only_the_head_of_the_leading_office_approves(people):
    operation = joint_operation(people, approve=False)
    with pytest.raises(PermissionDenied):
        ops.operation_approve(by=people.leader_a, operation=operation)
    with pytest.raises(PermissionDenied):
        ops.operation_approve(by=people.leader_b, operation=operation)
    ops.operation_approve(by=people.head_a, operation=operation)


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(people):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        ops.operation_create(
            by=people.leader_a,
            client_id=uuid.uuid4(),
            unit=people.section_a,
            kind="independent",
            number="OPS-X",
            name="Salah",
            starts_at=now,
            ends_at=now - datetime.timedelta(hours=1),
        )
    assert "ends_at" in error.value.message_dict
    assert not Operation.objects.filter(number="OPS-X").exists()


def test_a_double_submit_creates_one_operation(people):
    key = uuid.uuid4()
    now = timezone.now()
    values = dict(
        unit=people.section_a,
        kind="patrol",
        number="PTR-1",
        name="Patroli",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=4),
    )
    first = ops.operation_create(by=people.leader_a, client_id=key, **values)
    second = ops.operation_create(by=people.leader_a, client_id=key, **values)
    assert first.pk == second.pk


def test_postponing_or_cancelling_needs_a_reason(people):
    operation = joint_operation(people, approve=False)
    with pytest.raises(ValidationError):
        ops.operation_stop(by=people.leader_a, operation=operation, to="cancelled", reason=" ")
    ops.operation_stop(by=people.leader_a, operation=operation, to="postponed", reason="Cuaca.")
    operation.refresh_from_db()
    assert (operation.status, operation.status_reason) == ("postponed", "Cuaca.")
    with pytest.raises(PermissionDenied):
        ops.operation_approve(by=people.head_a, operation=operation)


def test_reported_is_refused_while_an_activity_of_it_is_still_a_draft(people):
    operation = joint_operation(people)
    activity = operation_activity(people, operation)
    operation_activity_link(by=people.officer_a, operation=operation, activity=activity)
    ops.operation_finish(by=people.leader_a, operation=operation)
    with pytest.raises(ValidationError) as error:
        ops.operation_report(by=people.leader_a, operation=operation, conclusions="Selesai.")
    assert "draft" in str(error.value) or "konsep" in str(error.value)
    operation.refresh_from_db()
    assert operation.status == "finished"
    reports.report_submit(report=activity.report, by=people.officer_a)
    ops.operation_report(by=people.leader_a, operation=operation, conclusions="Selesai.")
