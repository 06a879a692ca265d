"""Builders for the operations tests, through the services like real data."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from silahap.accounts.models import Agency
from silahap.operations.models import Operation
from silahap.operations.services import operations as ops
from silahap.reports import services as reports
from silahap.reports.models import Activity, Finding
from silahap.reports.tests.factories import (  # noqa: F401 — re-exported for the tests
    field_activity,
    person,
    place,
    violation_type,
)

PARTNER_AGENCIES = ["polri", "satpol_pp", "disnaker", "bnn"]


def joint_operation(
    people,
    *,
    number: str = "OPS-01/TNG/2026",
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    approve: bool = True,
) -> Operation:
    """Section A's joint Timpora operation with the four partner agencies: team A (officer_a
    leading, Polri, Disnaker), team B (officer_a2 leading, Satpol PP, BNN), two targets."""
    now = timezone.now()
    operation = ops.operation_create(
        by=people.leader_a,
        client_id=uuid.uuid4(),
        unit=people.section_a,
        kind=Operation.Kind.JOINT_TIMPORA,
        number=number,
        name="Operasi Gabungan Timpora Tangerang",
        starts_at=starts_at or now - datetime.timedelta(hours=3),
        ends_at=ends_at or now + datetime.timedelta(days=2),
        objectives="Pengawasan TKA di kawasan industri.",
        agencies=Agency.objects.filter(code__in=PARTNER_AGENCIES),
    )
    team_a = ops.operation_team_add(
        by=people.leader_a, operation=operation, name="A", leader=people.officer_a
    )
    team_b = ops.operation_team_add(
        by=people.leader_a, operation=operation, name="B", leader=people.officer_a2
    )
    for user, team in [
        (people.partner, team_a),
        (people.partner_disnaker, team_a),
        (people.partner_satpolpp, team_b),
        (people.partner_bnn, team_b),
    ]:
        ops.operation_member_add(by=people.leader_a, operation=operation, user=user, team=team)
    ops.operation_target_add(
        by=people.leader_a,
        operation=operation,
        place=place(by=people.leader_a, name=f"PT Sinar {number}"),
        team=team_a,
    )
    ops.operation_target_add(
        by=people.leader_a, operation=operation, label="Kawasan Industri Jatake", team=team_b
    )
    if approve:
        operation = ops.operation_approve(by=people.head_a, operation=operation)
    return operation


def operation_activity(people, operation: Operation, *, by=None, minutes_ago: int = 60) -> Activity:
    """A field activity of an officer during the operation, at its first target."""
    by = by or people.officer_a
    target = operation.targets.exclude(place=None).first()
    return field_activity(
        by=by,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        place=target.place,
        source=Activity.Source.JOINT_TIMPORA,
    )


def finding_in(
    activity: Activity,
    *,
    by,
    name: str = "Li Wei",
    nationality_doc: str = "E1234567",
    code: str | None = None,
) -> Finding:
    foreigner = person(by=by, name=name, document=nationality_doc)
    check = reports.check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        person=foreigner,
        verification_method="physical_document",
        result="finding",
    )
    return reports.finding_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        violation_type=violation_type(code or f"t_{uuid.uuid4().hex[:8]}"),
        check=check,
        description="Bekerja tanpa izin.",
    )
