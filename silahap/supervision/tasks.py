"""Background work (Django's tasks API, the django-tasks backport): who is told what.

Every task takes primary keys and ISO dates (task arguments must be JSON), reads the current state,
and is safe to run twice: delivery is once per (kind, object, day).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_tasks import task

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit.models import AuditEvent
from silahap.registry import warnings
from silahap.registry.models_imports import ImportJob
from silahap.reports.models import DailyReport, ReportDecision, ReportRevision
from silahap.supervision import notifications, queries
from silahap.supervision.models import FollowUpStep, NotificationKind, Task

Kind = NotificationKind


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


@task()
def notify_report_submitted(report_id: int, revision_number: int) -> int:
    revision = (
        ReportRevision.objects.filter(report_id=report_id, number=revision_number)
        .select_related("report__officer", "report__unit")
        .first()
    )
    if revision is None:
        return 0
    report = revision.report
    sent = 0
    for leader in access.nearest_leaders(report.unit):
        if leader.pk == report.officer_id:
            continue
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=Kind.REPORT_SUBMITTED,
                target=revision,
                day=report.unit.local_today(),
                params={"officer": str(report.officer), "date": _date(report.report_date)},
                url=report.get_absolute_url(),
            )
        )
    return sent


@task()
def notify_report_decided(report_id: int, revision_number: int) -> int:
    decision = (
        ReportDecision.objects.filter(report_id=report_id, revision_number=revision_number)
        .select_related("report__officer", "report__unit")
        .first()
    )
    if decision is None:
        return 0
    report: DailyReport = decision.report
    returned = decision.outcome == ReportDecision.Outcome.RETURNED
    delivered = notifications.deliver(
        recipient=report.officer,
        kind=Kind.REPORT_RETURNED if returned else Kind.REPORT_APPROVED,
        target=decision,
        day=report.unit.local_today(),
        params={"date": _date(report.report_date), "reason": decision.reason},
        url=report.get_absolute_url(),
    )
    return int(delivered is not None)


@task()
def notify_task_assigned(task_id: int) -> int:
    work = (
        Task.objects.filter(pk=task_id)
        .select_related("warrant__unit", "assignee", "team", "target_place", "target_person")
        .first()
    )
    if work is None:
        return 0
    # A task names an officer or a team, never both nor neither (task_assignee_or_team).
    if work.assignee is not None:
        recipients = [work.assignee]
    else:
        assert work.team is not None
        recipients = queries.team_members(work.team)
    sent = 0
    for recipient in recipients:
        sent += bool(
            notifications.deliver(
                recipient=recipient,
                kind=Kind.TASK_ASSIGNED,
                target=work,
                day=work.warrant.unit.local_today(),
                params={
                    "warrant": work.warrant.number,
                    "due": _date(work.due_date),
                    "target": work.target_label,
                },
                url=reverse("supervision:my_tasks"),
            )
        )
    return sent


@task()
def notify_missing_reports(office_id: int, day_iso: str, stage: str) -> int:
    """At the deadline tell each officer whose report is missing; later, tell their leaders."""
    office = OrgUnit.objects.get(pk=office_id)
    day = datetime.date.fromisoformat(day_iso)
    missing = queries.missing_reports(units=[office], start=day, end=day, now=timezone.now())
    sent = 0
    if stage == "officer":
        for row in missing:
            sent += bool(
                notifications.deliver(
                    recipient=row.officer,
                    kind=Kind.REPORT_MISSING,
                    target=row.officer,
                    day=day,
                    params={"date": _date(day)},
                    url=reverse("reports:today"),
                )
            )
        return sent
    by_leader: dict[int, tuple] = {}
    for row in missing:
        for leader in access.nearest_leaders(row.unit, day):
            by_leader.setdefault(leader.pk, (leader, []))[1].append(str(row.officer))
    for leader, names in by_leader.values():
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=Kind.REPORTS_MISSING_UNIT,
                target=office,
                day=day,
                params={"count": len(names), "date": _date(day), "names": ", ".join(names)},
                url=reverse("supervision:board"),
            )
        )
    return sent


@task()
def notify_followup_steps(office_id: int, day_iso: str) -> int:
    """Steps due today go to their assignees; overdue ones to the assignee and the leader."""
    office = OrgUnit.objects.get(pk=office_id)
    day = datetime.date.fromisoformat(day_iso)
    steps = (
        FollowUpStep.objects.filter(
            status=FollowUpStep.Status.OPEN,
            due_date__lte=day,
            followup__unit__path__startswith=office.path,
        )
        .select_related("followup__unit", "assignee")
        .order_by("pk")
    )
    sent = 0
    for step in steps:
        due = step.due_date
        assert due is not None  # filtered on due_date__lte
        overdue = due < day
        params = {
            "followup": step.followup_id,
            "step": str(step.get_kind_display()),
            "due": _date(due),
        }
        recipients = [step.assignee] if step.assignee is not None else []
        if overdue:
            recipients += access.nearest_leaders(step.followup.unit, day)
        for recipient in {r.pk: r for r in recipients}.values():
            sent += bool(
                notifications.deliver(
                    recipient=recipient,
                    kind=Kind.STEP_OVERDUE if overdue else Kind.STEP_DUE,
                    target=step,
                    day=day,
                    params=params,
                    url=step.followup.get_absolute_url(),
                )
            )
    return sent


@task()
def notify_unusual_access(alert_id: int) -> int:
    """Tell the leaders the alert names, in the app and by email; once per leader, watched account
    and day (the alert itself comes at most hourly and stays in the trail)."""
    alert = (
        AuditEvent.objects.filter(pk=alert_id, actor__isnull=False).select_related("actor").first()
    )
    if alert is None:
        return 0
    watched = alert.actor
    assert watched is not None  # filtered on actor__isnull=False
    leaders = User.objects.filter(username__in=alert.summary.get("leaders", []), is_active=True)
    url = reverse("audit:search") + "?" + urlencode({"actor": watched.get_username()})
    # The day as the watched account's office counts it, like every other notice it gets.
    offices = [m.unit.office or m.unit for m in access.current_memberships(watched)]
    day = timezone.localdate(alert.occurred_at, timezone=offices[0].zone if offices else None)
    sent = 0
    for leader in leaders:
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=NotificationKind.UNUSUAL_ACCESS,
                target=watched,
                day=day,
                params={
                    "user": str(watched),
                    "count": alert.summary.get("persons_viewed_last_hour", 0),
                },
                url=url,
            )
        )
    return sent


@task()
def notify_import_finished(job_id: int) -> int:
    """Tell whoever uploaded a registry import what it created, updated and refused."""
    job = ImportJob.objects.filter(pk=job_id).select_related("office", "uploaded_by").first()
    if job is None:
        return 0
    delivered = notifications.deliver(
        recipient=job.uploaded_by,
        kind=Kind.IMPORT_FINISHED,
        target=job,
        day=job.office.local_today(),
        params={
            "file": job.file_name,
            "created": job.created_count,
            "updated": job.updated_count,
            "refused": job.refused_count,
        },
        url=job.get_absolute_url(),
    )
    return int(delivered is not None)


def office_leaders(office: OrgUnit, day: datetime.date) -> list[User]:
    """Current leaders (acting included) of the office or of any unit in it: the head of office
    and the Inteldakim section heads who act on the warnings."""
    memberships = (
        Membership.objects.current(day)
        .filter(role=Membership.Role.LEADER, unit__path__startswith=office.path)
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in memberships if m.user.is_active}.values())


@task()
def notify_permit_warnings(office_id: int, day_iso: str) -> int:
    """Tell the office's leaders how many stay permits expire within 30 days and how many
    foreigners overstay; nothing is sent when there is neither."""
    office = OrgUnit.objects.get(pk=office_id)
    day = datetime.date.fromisoformat(day_iso)
    # Once a day, the kept counts move to the day (the first office's job moves every row), so
    # a reading of them reads only the days since.
    warnings.advance_counts(day)
    [counts] = warnings.office_warnings([office], day)
    if not counts.total:
        return 0
    url = reverse("registry:permit_warnings") + "?" + urlencode({"office": office.pk})
    sent = 0
    for leader in office_leaders(office, day):
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=Kind.PERMIT_WARNINGS,
                target=office,
                day=day,
                params={
                    "expiring": counts.expiring,
                    "overstay": counts.overstay,
                    "office": office.name,
                },
                url=url,
            )
        )
    return sent


def _role_label(membership: Membership) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(membership.get_role_display())


@task()
def notify_access_granted(membership_id: int, actor_id: int | None, audit_event_id: int) -> int:
    """Tell the person and their office's leaders that an administrator gave them a role above
    officer (or any role to an administrator); once per person, membership and day."""
    event = AuditEvent.objects.filter(pk=audit_event_id).select_related("actor").first()
    membership = Membership.objects.filter(pk=membership_id).select_related("user", "unit").first()
    if event is None or membership is None:
        return 0
    unit = membership.unit
    recipients = {membership.user_id: membership.user}
    for leader in access.nearest_leaders(unit.office or unit):
        recipients.setdefault(leader.pk, leader)
    if actor_id is not None:
        recipients.pop(actor_id, None)
    day = timezone.localdate(event.occurred_at, timezone=unit.zone)
    params = {
        "actor": str(event.actor) if event.actor else event.actor_label,
        "user": str(membership.user),
        # Named in the office's language, like the rest of the notice's text.
        "role": _role_label(membership),
        "unit": unit.name,
    }
    sent = 0
    for recipient in recipients.values():
        sent += bool(
            notifications.deliver(
                recipient=recipient,
                kind=Kind.ACCESS_GRANTED,
                target=membership,
                day=day,
                params=params,
            )
        )
    return sent
