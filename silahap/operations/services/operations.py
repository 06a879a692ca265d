"""Operations planned and taken through their states: planned → approved → running → finished →
reported, or postponed / cancelled with a reason. Each change is audited and on the spine."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Agency, OrgUnit, User
from silahap.audit import services as audit
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.operations.models import (
    Operation,
    OperationMember,
    OperationStatus,
    OperationTarget,
    OperationTeam,
    OperationTransition,
    Team,
)
from silahap.operations.services.common import member_refusal, record_event
from silahap.registry.models import Place, Regency
from silahap.reports.models import ReportStatus
from silahap.supervision.models import Warrant

S = OperationStatus


def check_period(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("The operation must end after it starts: fix the end date and time.")}
        )


def _payload(operation: Operation) -> dict:
    """National operations carry their start, so feeds keep them confidential until then."""
    if operation.kind == Operation.Kind.NATIONAL:
        return {"confidential_until": operation.starts_at.isoformat()}
    return {}


def transition(
    operation: Operation, *, to: str, by: User | None, reason: str = "", event: str
) -> None:
    """Move the stored status, with its history row, audit event and spine event."""
    before = operation.status
    operation.status = to
    fields = ["status", "updated_at"]
    if to in (S.POSTPONED, S.CANCELLED):
        operation.status_reason = reason
        fields.append("status_reason")
    operation.save(update_fields=fields)
    OperationTransition.objects.create(
        operation=operation, from_status=before, to_status=to, reason=reason, by=by
    )
    audit.record(
        action=f"operation.{to}",
        actor=by,
        target=operation,
        summary={"from": before, "to": to, **({"reason": reason} if reason else {})},
    )
    record_event(
        event, target=operation, by=by, status=to, kind=operation.kind, **_payload(operation)
    )


@idempotent(Operation, owner="created_by")
@transaction.atomic
def operation_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    unit: OrgUnit,
    kind: str,
    number: str,
    name: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    regency: Regency | None = None,
    team: Team | None = None,
    objectives: str = "",
    legal_basis: str = "",
    warrants: Iterable[Warrant] = (),
    agencies: Iterable[Agency] = (),
) -> Operation:
    """Plan an operation led by `unit`: a leader of that unit or above."""
    access.require(by, "plan_operation", unit)
    check_period(starts_at, ends_at)
    if Operation.objects.filter(unit=unit, number=number.strip()).exists():
        raise ValidationError({"number": _("This unit already has an operation with this number.")})
    warrants = list(warrants)
    visible = set(
        Warrant.objects.visible_to(by)
        .filter(pk__in=[w.pk for w in warrants])
        .values_list("pk", flat=True)
    )
    if any(w.pk not in visible for w in warrants):
        raise ValidationError({"warrants": _("Choose warrants of your own units.")})
    operation = Operation(
        kind=kind,
        number=number.strip(),
        name=name.strip(),
        unit=unit,
        team=team,
        starts_at=starts_at,
        ends_at=ends_at,
        regency=regency,
        objectives=objectives.strip(),
        legal_basis=legal_basis.strip(),
        created_by=by,
        client_id=client_id,
    )
    operation.full_clean(exclude=["client_id"])
    operation.save()
    operation.warrants.set(warrants)
    operation.agencies.set(list(agencies))
    OperationTransition.objects.create(operation=operation, to_status=S.PLANNED, by=by)
    audit.record(
        action="operation.create",
        actor=by,
        target=operation,
        summary={"number": operation.number, "kind": kind},
    )
    record_event(
        EventType.OPERATION_CREATED, target=operation, by=by, kind=kind, **_payload(operation)
    )
    return operation


def _planned(by: User, operation: Operation, what: str, **summary) -> None:
    audit.record(action=f"operation.{what}", actor=by, target=operation, summary=summary)
    record_event(
        EventType.OPERATION_UPDATED, target=operation, by=by, change=what, **_payload(operation)
    )


@transaction.atomic
def operation_agency_add(*, by: User, operation: Operation, agency: Agency) -> Operation:
    access.require(by, "plan", operation)
    if not operation.agencies.filter(pk=agency.pk).exists():
        operation.agencies.add(agency)
        _planned(by, operation, "agency_add", agency=agency.code)
    return operation


@transaction.atomic
def operation_team_add(
    *, by: User, operation: Operation, name: str, leader: User | None = None
) -> OperationTeam:
    """Add a team ("A", "B"); its leader becomes a member of the operation."""
    access.require(by, "plan", operation)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the team a name, e.g. A.")})
    if operation.teams.filter(name=name).exists():
        raise ValidationError({"name": _("This operation already has a team with this name.")})
    team = OperationTeam.objects.create(operation=operation, name=name, leader=None)
    if leader is not None:
        _add_member(by=by, operation=operation, user=leader, team=team)
        team.leader = leader
        team.save(update_fields=["leader"])
    _planned(by, operation, "team_add", team=name)
    return team


def _add_member(
    *, by: User, operation: Operation, user: User, team: OperationTeam | None
) -> OperationMember:
    codes = set(operation.agencies.values_list("code", flat=True))
    refusal = member_refusal(user=user, unit=operation.unit, agency_codes=codes)
    if refusal:
        raise ValidationError({"user": refusal})
    member, created = OperationMember.objects.get_or_create(
        operation=operation,
        user=user,
        defaults={"team": team, "agency": user.agency, "added_by": by},
    )
    if not created and team is not None and member.team_id != team.pk:
        member.team = team
        member.save(update_fields=["team"])
    return member


@transaction.atomic
def operation_member_add(
    *, by: User, operation: Operation, user: User, team: OperationTeam | None = None
) -> OperationMember:
    """Put a person on the operation (and a team): staff of the leading unit or below, or a
    member of a participating agency, who sees the operation from now on."""
    access.require(by, "plan", operation)
    if team is not None and team.operation_id != operation.pk:
        raise ValidationError({"team": _("Choose a team of this operation.")})
    member = _add_member(by=by, operation=operation, user=user, team=team)
    _planned(by, operation, "member_add", user=user.pk, agency=user.agency or "immigration")
    return member


@transaction.atomic
def operation_target_add(
    *,
    by: User,
    operation: Operation,
    place: Place | None = None,
    label: str = "",
    team: OperationTeam | None = None,
) -> OperationTarget:
    """Add a registry place to visit, or an area with no place yet."""
    access.require(by, "plan", operation)
    label = label.strip()
    if place is None and not label:
        raise ValidationError({"place": _("Choose a place, or describe the area to visit.")})
    if team is not None and team.operation_id != operation.pk:
        raise ValidationError({"team": _("Choose a team of this operation.")})
    if place is not None and operation.targets.filter(place=place).exists():
        raise ValidationError({"place": _("This place is already a target of the operation.")})
    target = OperationTarget.objects.create(
        operation=operation, place=place, label=label, team=team
    )
    _planned(by, operation, "target_add", target=target.pk)
    return target


@transaction.atomic
def operation_approve(*, by: User, operation: Operation) -> Operation:
    """The head of the leading office signs off the plan."""
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    access.require(by, "approve", operation)
    if not operation.teams.exists() and not operation.members.exists():
        raise ValidationError(_("Add at least one team or member before approving the plan."))
    operation.approved_by = by
    operation.approved_at = timezone.now()
    operation.save(update_fields=["approved_by", "approved_at"])
    transition(operation, to=S.APPROVED, by=by, event=EventType.OPERATION_APPROVED)
    return operation


@transaction.atomic
def operation_start_due(*, now: datetime.datetime | None = None) -> int:
    """Store "running" for approved operations whose start has come (the scheduler's job);
    every read already treats them as running, this records when and tells the spine."""
    now = now or timezone.now()
    due = list(
        Operation.objects.select_for_update()
        .filter(status=S.APPROVED, starts_at__lte=now)
        .select_related("unit")
    )
    for operation in due:
        transition(operation, to=S.RUNNING, by=None, event=EventType.OPERATION_STARTED)
    return len(due)


@transaction.atomic
def operation_finish(*, by: User, operation: Operation) -> Operation:
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    access.require(by, "finish", operation)
    transition(operation, to=S.FINISHED, by=by, event=EventType.OPERATION_FINISHED)
    return operation


@transaction.atomic
def operation_report(
    *, by: User, operation: Operation, conclusions: str, recommendations: str = ""
) -> Operation:
    """The leader writes the conclusions and marks it reported; every activity filed."""
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    access.require(by, "report", operation)
    if not conclusions.strip():
        raise ValidationError({"conclusions": _("Write the conclusions of the operation.")})
    drafts = operation.activity_links.filter(activity__report__status=ReportStatus.DRAFT)
    first = drafts.select_related("activity__report__officer").first()
    if first is not None:
        raise ValidationError(
            _(
                "An activity of this operation is still in %(officer)s's draft report of "
                "%(day)s: ask them to submit it, then mark the operation reported."
            )
            % {"officer": first.activity.report.officer, "day": first.activity.report.report_date}
        )
    operation.conclusions = conclusions.strip()
    operation.recommendations = recommendations.strip()
    operation.reported_at = timezone.now()
    operation.save(update_fields=["conclusions", "recommendations", "reported_at"])
    transition(operation, to=S.REPORTED, by=by, event=EventType.OPERATION_REPORTED)
    return operation


@transaction.atomic
def operation_stop(*, by: User, operation: Operation, to: str, reason: str) -> Operation:
    """Postpone or cancel, with the reason."""
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    access.require(by, "stop", operation)
    if to not in (S.POSTPONED, S.CANCELLED):
        raise ValidationError({"to": _("Choose postpone or cancel.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the operation is postponed or cancelled.")})
    event = EventType.OPERATION_POSTPONED if to == S.POSTPONED else EventType.OPERATION_CANCELLED
    transition(operation, to=to, by=by, reason=reason, event=event)
    return operation
