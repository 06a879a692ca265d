"""Every write to warrants, tasks, follow-ups, absences and notifications.

Keyword-only, typed, one transaction, PermissionDenied or ValidationError when not allowed, and one
audit event each (an idempotent repeat returns the first result and records nothing). Creates take
the page's client_id (silahap.idempotency): the same key from the same person makes one row.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit import services as audit
from silahap.changes import unit_changed
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.registry.models import ForeignNational, Place
from silahap.reports.models import Activity, Finding
from silahap.supervision.models import (
    Absence,
    FollowUp,
    FollowUpStep,
    Notification,
    StepKind,
    StepStatus,
    Task,
    TaskActivity,
    Warrant,
)
from silahap.supervision.rules import belongs_within

SCAN_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


# ---------------------------------------------------------------------------- absences


@idempotent(Absence, owner="recorded_by")
@transaction.atomic
def absence_record(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    user: User,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    note: str = "",
) -> Absence:
    """Record leave, sickness or duty travel: a leader or an administrator above the officer."""
    # Every unit the person is a member of must be under the recorder: an absence changes the
    # missing-report counts of each of them, and another office's counts are not theirs to change.
    scopes = access.units_with_role(by, [Membership.Role.LEADER, Membership.Role.ADMIN])
    units = [membership.unit for membership in access.current_memberships(user)]
    allowed = by.is_superuser or (
        bool(units) and all(any(unit.is_within(scope) for scope in scopes) for unit in units)
    )
    if not allowed or by.pk == user.pk and not by.is_superuser:
        raise PermissionDenied("only a leader or an administrator above the officer records this")
    if end_date < start_date:
        raise ValidationError({"end_date": _("The absence cannot end before it starts.")})
    absence = Absence(
        user=user,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
        recorded_by=by,
        client_id=client_id,
    )
    absence.full_clean()
    absence.save()
    # The event names no unit: the person's units change (the live board's officers).
    unit_changed(*(unit.path for unit in units))
    audit.record(
        action="absence.record",
        actor=by,
        target=absence,
        summary={
            "user": user.pk,
            "kind": kind,
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
        },
    )
    # Leave, sickness and travel change which days count as missing (rollups listen).
    spine.record_about(
        absence,
        type=EventType.ABSENCE_RECORDED,
        by=by,
        payload={
            "user": user.pk,
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
        },
    )
    return absence


# ---------------------------------------------------------------------------- warrants and tasks


def _scan_type(data: bytes) -> str:
    for signature, content_type in SCAN_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise ValidationError({"scan": _("The scan must be a PDF, JPEG or PNG file.")})


@idempotent(Warrant, owner="created_by")
@transaction.atomic
def warrant_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    unit: OrgUnit,
    number: str,
    issued_on: datetime.date,
    signer: str,
    period_start: datetime.date,
    period_end: datetime.date,
    basis: str = "",
    targets: str = "",
    members: Iterable[User] = (),
    scan: bytes | None = None,
) -> Warrant:
    """Record a signed warrant (surat perintah) of a unit the leader leads, with its scan."""
    if not access.can(by, "issue_warrant", unit):
        raise PermissionDenied("only a leader of this unit or above records its warrants")
    members = list(members)
    outsiders = [m for m in members if not belongs_within(m, unit)]
    if outsiders:
        raise ValidationError(
            {
                "members": _("Members must belong to this unit: %(names)s")
                % {"names": ", ".join(str(m) for m in outsiders)}
            }
        )
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    number = number.strip()
    if Warrant.objects.filter(unit=unit, number=number).exists():
        raise ValidationError({"number": _("This unit already has a warrant with this number.")})
    warrant = Warrant(
        unit=unit,
        number=number,
        issued_on=issued_on,
        signer=signer.strip(),
        basis=basis.strip(),
        targets=targets.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
        client_id=client_id,
    )
    if scan:
        if len(scan) > settings.SILAHAP_WARRANT_SCAN_MAX_BYTES:
            raise ValidationError({"scan": _("The scan is too large.")})
        warrant.scan_content_type = _scan_type(scan)
    warrant.full_clean(exclude=["scan"])
    if scan:
        warrant.scan.save(warrant.scan_key.hex, ContentFile(scan), save=False)
    warrant.save()
    warrant.members.set(members)
    audit.record(
        action="warrant.create",
        actor=by,
        target=warrant,
        summary={
            "unit": unit.code,
            "number": number,
            "members": sorted(m.pk for m in members),
            "scan": bool(scan),
        },
    )
    spine.record_about(warrant, type=EventType.WARRANT_CREATED, by=by, unit=unit)
    return warrant


@idempotent(Task, owner="created_by")
@transaction.atomic
def task_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    warrant: Warrant,
    instructions: str,
    due_date: datetime.date,
    assignee: User | None = None,
    team: OrgUnit | None = None,
    target_place: Place | None = None,
    target_person: ForeignNational | None = None,
    target_area: str = "",
) -> Task:
    """Give an officer or a team of the warrant's unit a task under it; they are notified."""
    if not access.can(by, "assign_task", warrant):
        raise PermissionDenied("only a leader of the warrant's unit assigns tasks under it")
    if (assignee is None) == (team is None):
        raise ValidationError(_("Give the task to one officer or to one team."))
    if assignee is not None and not belongs_within(assignee, warrant.unit):
        raise ValidationError({"assignee": _("The officer must belong to the warrant's unit.")})
    if team is not None and not team.is_within(warrant.unit):
        raise ValidationError({"team": _("The team must be within the warrant's unit.")})
    if target_place is None and target_person is None and not target_area.strip():
        raise ValidationError(_("Say where or whom: a place, a person or an area."))
    work = Task(
        warrant=warrant,
        assignee=assignee,
        team=team,
        target_place=target_place,
        target_person=target_person,
        target_area=target_area.strip(),
        instructions=instructions.strip(),
        due_date=due_date,
        created_by=by,
        client_id=client_id,
    )
    work.full_clean()
    work.save()
    spine.record(
        type=EventType.TASK_ASSIGNED,
        object_type="supervision.task",
        object_id=work.pk,
        actor_id=by.pk,
        unit_path=warrant.unit.path,
    )
    audit.record(
        action="task.create",
        actor=by,
        target=work,
        summary={
            "warrant": warrant.pk,
            "assignee": assignee.pk if assignee else None,
            "team": team.code if team else None,
            "due": due_date.isoformat(),
        },
    )
    return work


@transaction.atomic
def task_link_activity(*, task: Task, activity: Activity, by: User) -> TaskActivity:
    """Record that an activity carries out a task; the task is done once its report is filed."""
    existing = TaskActivity.objects.filter(activity=activity).first()
    if existing is not None:
        if existing.task_id != task.pk:
            raise ValidationError(_("This activity already carries out another task."))
        return existing
    if activity.report.officer_id != by.pk:
        raise PermissionDenied("only the activity's author links it to a task")
    if not access.can(by, "carry_out", task):
        raise PermissionDenied("this task is not given to this officer")
    try:
        with transaction.atomic():
            link = TaskActivity.objects.create(task=task, activity=activity, linked_by=by)
    except IntegrityError:
        link = TaskActivity.objects.get(activity=activity)
        if link.task_id != task.pk:
            raise ValidationError(_("This activity already carries out another task.")) from None
        return link
    audit.record(
        action="task.link_activity",
        actor=by,
        target=task,
        summary={"activity": activity.pk},
    )
    return link


# ---------------------------------------------------------------------------- follow-ups


@transaction.atomic
def followup_open(*, finding: Finding, by: User) -> FollowUp:
    """Open the follow-up case of a finding; a second call returns the same case."""
    existing = FollowUp.objects.filter(finding=finding).first()
    if existing is not None:
        return existing
    report = finding.activity.report
    if not (report.officer_id == by.pk or access.leads(by, report.unit)):
        raise PermissionDenied("only the finding's author or a leader above opens its follow-up")
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(finding=finding, unit=report.unit, opened_by=by)
    except IntegrityError:
        # A second tap or a second person opened it a moment ago: use that one.
        return FollowUp.objects.get(finding=finding)
    audit.record(
        action="followup.open",
        actor=by,
        target=followup,
        summary={"finding": finding.pk, "unit": report.unit_id},
    )
    spine.record_about(
        followup,
        type=EventType.FOLLOWUP_OPENED,
        by=by,
        unit=report.unit,
        payload={"finding": finding.pk},
    )
    return followup


def _lock_followup(followup: FollowUp) -> FollowUp:
    return (
        FollowUp.objects.select_for_update(of=("self",)).select_related("unit").get(pk=followup.pk)
    )


def _recorded_case_conference(followup: FollowUp) -> FollowUpStep | None:
    return (
        followup.steps.filter(kind=StepKind.CASE_CONFERENCE, status=StepStatus.DONE)
        .exclude(decision_number="")
        .order_by("-position")
        .first()
    )


@idempotent(FollowUpStep, owner="created_by")
@transaction.atomic
def followup_step_add(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    followup: FollowUp,
    kind: str,
    action_kind: str = "",
    assignee: User | None = None,
    due_date: datetime.date | None = None,
    notes: str = "",
) -> FollowUpStep:
    """Add the next step; an administrative action (TAK) needs a case conference's decision."""
    followup = _lock_followup(followup)
    if not access.can(by, "direct", followup):
        raise PermissionDenied("only a leader of the case's unit adds steps")
    if followup.status != FollowUp.Status.OPEN:
        raise ValidationError(_("This follow-up is closed."))
    if assignee is not None and not belongs_within(assignee, followup.unit.office or followup.unit):
        raise ValidationError({"assignee": _("The assignee must belong to the case's office.")})
    basis = None
    if kind == StepKind.ADMINISTRATIVE_ACTION:
        if not action_kind:
            raise ValidationError({"action_kind": _("Choose which administrative action.")})
        # Permenimipas 2/2025 Pasal 59: the action is decided at a case conference (gelar kasus).
        basis = _recorded_case_conference(followup)
        if basis is None:
            raise ValidationError(
                {
                    "kind": _(
                        "An administrative action needs a case conference (gelar kasus) "
                        "with its decision recorded first."
                    )
                }
            )
    elif action_kind:
        raise ValidationError({"action_kind": _("Only an administrative action has an action.")})
    last = followup.steps.order_by("-position").values_list("position", flat=True).first()
    step = FollowUpStep(
        followup=followup,
        position=(last or 0) + 1,
        kind=kind,
        action_kind=action_kind,
        assignee=assignee,
        due_date=due_date,
        notes=notes.strip(),
        basis_step=basis,
        created_by=by,
        client_id=client_id,
    )
    step.full_clean()
    step.save()
    audit.record(
        action="followup.step_add",
        actor=by,
        target=step,
        summary={
            "followup": followup.pk,
            "kind": kind,
            "action_kind": action_kind,
            "assignee": assignee.pk if assignee else None,
            "due": due_date.isoformat() if due_date else None,
        },
    )
    spine.record_about(
        step,
        type=EventType.FOLLOWUP_STEP_ADDED,
        by=by,
        unit=followup.unit,
        payload={"followup": followup.pk, "kind": kind, "action_kind": action_kind},
    )
    return step


@transaction.atomic
def followup_step_update(
    *,
    by: User,
    step: FollowUpStep,
    status: str | None = None,
    notes: str | None = None,
    decision_number: str | None = None,
    due_date: datetime.date | None = None,
) -> FollowUpStep:
    """Record a step's progress or outcome; a case conference or a TAK is done with its number."""
    step = (
        FollowUpStep.objects.select_for_update(of=("self",))
        .select_related("followup__unit")
        .get(pk=step.pk)
    )
    if not access.can(by, "update", step):
        raise PermissionDenied("only the assignee or a leader of the case's unit updates a step")
    if step.status != StepStatus.OPEN:
        raise ValidationError(_("This step is finished; add a new step instead."))
    changed: dict[str, bool | str] = {}
    if notes is not None:
        step.notes = notes.strip()
        changed["notes"] = True
    if decision_number is not None:
        step.decision_number = decision_number.strip()
        changed["decision_number"] = step.decision_number
    if due_date is not None:
        step.due_date = due_date
        changed["due"] = due_date.isoformat()
    if status is not None and status != step.status:
        decided_kinds = (StepKind.CASE_CONFERENCE, StepKind.ADMINISTRATIVE_ACTION)
        if status == StepStatus.DONE and step.kind in decided_kinds and not step.decision_number:
            raise ValidationError(
                {"decision_number": _("Record the decision number to finish this step.")}
            )
        step.status = status
        step.completed_at = timezone.now()
        changed["status"] = status
    step.full_clean()
    step.save()
    if "status" in changed:
        # A step done or dropped is no longer due: its notices leave every bell.
        Notification.objects.filter(
            object_type=step._meta.label_lower,
            object_id=str(step.pk),
            kind__in=[Notification.Kind.STEP_DUE, Notification.Kind.STEP_OVERDUE],
            read_at__isnull=True,
        ).update(read_at=timezone.now())
    audit.record(action="followup.step_update", actor=by, target=step, summary=changed)
    payload = {"followup": step.followup_id, "kind": step.kind, "action_kind": step.action_kind}
    if changed.get("status") == StepStatus.DONE:
        spine.record_about(
            step, type=EventType.FOLLOWUP_STEP_DONE, by=by, unit=step.followup.unit, payload=payload
        )
        if step.kind == StepKind.ADMINISTRATIVE_ACTION:
            spine.record_about(
                step, type=EventType.TAK_DECIDED, by=by, unit=step.followup.unit, payload=payload
            )
    else:
        spine.record_about(
            step,
            type=EventType.FOLLOWUP_STEP_UPDATED,
            by=by,
            unit=step.followup.unit,
            payload={**payload, "fields": sorted(changed)},
        )
    return step


@transaction.atomic
def followup_close(*, by: User, followup: FollowUp) -> FollowUp:
    """Close a case once none of its steps is open."""
    followup = _lock_followup(followup)
    if not access.can(by, "direct", followup):
        raise PermissionDenied("only a leader of the case's unit closes it")
    if followup.status == FollowUp.Status.CLOSED:
        return followup
    if followup.steps.filter(status=StepStatus.OPEN).exists():
        raise ValidationError(_("Finish or cancel the open steps first."))
    followup.status = FollowUp.Status.CLOSED
    followup.closed_at = timezone.now()
    followup.save(update_fields=["status", "closed_at"])
    audit.record(action="followup.close", actor=by, target=followup, summary={})
    spine.record_about(followup, type=EventType.FOLLOWUP_CLOSED, by=by, unit=followup.unit)
    return followup


# ---------------------------------------------------------------------------- notifications


@transaction.atomic
def notification_read(*, by: User, notification: Notification | None = None) -> int:
    """Mark one notification (or, with none given, all of them) as read; returns how many."""
    queryset = Notification.objects.visible_to(by).unread()
    if notification is not None:
        queryset = queryset.filter(pk=notification.pk)
    count = queryset.update(read_at=timezone.now())
    audit.record(
        action="notification.read",
        actor=by,
        object_type="supervision.notification",
        object_id=notification.pk if notification is not None else "all",
        summary={"count": count},
    )
    return count


@transaction.atomic
def notifications_opened(*, by: User, url: str) -> int:
    """The user opened the page a notification points to: its unread notifications about it
    are read (opening the thing clears its notification); returns how many."""
    count = (
        Notification.objects.visible_to(by).unread().filter(url=url).update(read_at=timezone.now())
    )
    if count:
        audit.record(
            action="notification.read",
            actor=by,
            object_type="supervision.notification",
            object_id="opened",
            summary={"count": count, "url": url},
        )
    return count


@transaction.atomic
def notifications_closed(*, kind: str, url: str) -> int:
    """The thing these notifications are about is no longer open (a report decided): nobody's
    bell counts them any more. Run by the spine's subscriber, not by a person."""
    count = Notification.objects.filter(kind=kind, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit.record(
            action="notification.closed",
            object_type="supervision.notification",
            object_id=kind,
            summary={"count": count, "url": url},
        )
    return count
