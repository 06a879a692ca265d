"""The daily report itself: opening the day, its deadline, submitting it, and the leader's
decisions (approve, return, revise). Every other write checks here that the report is editable.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.reports.models import (
    ActivityKind,
    Check,
    DailyReport,
    ReportDecision,
    ReportRevision,
    ReportStatus,
)
from silahap.reports.snapshot import report_snapshot
from silahap.statements import Statement

REPORTING_ROLES = (Membership.Role.OFFICER, Membership.Role.LEADER)


def reporting_unit(officer: User) -> OrgUnit:
    """The unit an officer reports from: their current officer membership, else a leader one."""
    for role in REPORTING_ROLES:
        units = access.units_with_role(officer, [role])
        if units:
            return units[0]
    raise PermissionDenied("this account has no current unit to report from")


def local_date(unit: OrgUnit, moment: datetime.datetime) -> datetime.date:
    """The day a moment falls on in the office's own time zone (WIB, WITA or WIT)."""
    return timezone.localtime(moment, unit.zone).date()


def submit_deadline(report: DailyReport) -> datetime.datetime:
    office = report.unit.office or report.unit
    deadline = office.report_deadline or datetime.time(23, 59)
    return datetime.datetime.combine(report.report_date, deadline, tzinfo=office.zone)


def _report_of_day(*, locked: bool) -> Statement:
    def build(officer: int, day: datetime.date):
        reports = DailyReport.objects.select_for_update() if locked else DailyReport.objects
        # One row by the (officer, date) key: no ordering (first() would sort by the id).
        return reports.filter(officer_id=officer, report_date=day).order_by()[:1]

    fields = DailyReport._meta
    return Statement(build, fields.get_field("officer"), fields.get_field("report_date"))


# Compiled once per connection (silahap/statements.py): the officer's most frequent write reads
# its report first, and compiling that query cost more than running it.
_REPORT = _report_of_day(locked=False)
_REPORT_LOCKED = _report_of_day(locked=True)


def _report_for_day(
    *, officer: User, unit: OrgUnit, day: datetime.date, lock: bool = False
) -> tuple[DailyReport, bool]:
    """The officer's report of a day, made if missing; with lock=True read under its row lock
    in the same query (the usual case, the report exists, is one query).

    `unit` is the officer's reporting unit, already read with its office: a report filed there
    (the usual case) is given it rather than a join to the units, which cost the officer's most
    frequent write more than its INSERT; a report of another unit reads its own when used."""
    reports = DailyReport.objects.select_for_update() if lock else DailyReport.objects.all()
    statement = _REPORT_LOCKED if lock else _REPORT
    report = statement.first(DailyReport, reports.db, officer.pk, day)
    created = False
    if report is None:
        try:
            with transaction.atomic():
                report = DailyReport.objects.create(officer=officer, unit=unit, report_date=day)
        except IntegrityError:
            # A second tab or a retry created it a moment ago: use that one.
            report = reports.get(officer=officer, report_date=day)
        else:
            created = True
            if lock:
                report = reports.get(pk=report.pk)
    if report.unit_id == unit.pk:
        report.unit = unit
    return report, created


@transaction.atomic
def report_open(*, officer: User, day: datetime.date | None = None) -> DailyReport:
    """The officer's report for a day (today in their office's zone), created as a draft."""
    unit = reporting_unit(officer)
    day = day or unit.local_today()
    report, created = _report_for_day(officer=officer, unit=unit, day=day)
    if created:
        audit.record(
            action="report.open", actor=officer, target=report, summary={"date": day.isoformat()}
        )
        spine.record_about(
            report,
            type=EventType.REPORT_OPENED,
            by=officer,
            unit=unit,
            payload={"date": day.isoformat()},
        )
    return report


def _locking():
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the join to the office.
    return DailyReport.objects.select_for_update(of=("self",)).select_related("unit__office")


def _lock(report: DailyReport) -> DailyReport:
    return _locking().get(pk=report.pk)


def _editable(report: DailyReport, by: User) -> DailyReport:
    return _editable_locked(_lock(report), by)


def _editable_locked(report: DailyReport, by: User) -> DailyReport:
    if report.officer_id != by.pk:
        raise PermissionDenied("only the author edits a report")
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("This report has been submitted; it can no longer be changed.")
            if report.status == ReportStatus.SUBMITTED
            else _("This report is approved; ask for a correction to change it.")
        )
    if report.status == ReportStatus.RETURNED:
        # Returned → draft on the first edit (DESIGN.md §2); the leader's reason stays shown.
        report.status = ReportStatus.DRAFT
        report.save(update_fields=["status", "updated_at"])
    return report


def submit_problems(report: DailyReport, activities=None) -> dict[str, list[str]]:
    """What stops a report from being submitted, keyed by the field or activity it concerns
    (from `activities` when the caller has them already)."""
    problems: dict[str, list[str]] = {}
    activities = list(report.activities.all()) if activities is None else list(activities)
    if not activities:
        problems["activities"] = [_("Add at least one activity before submitting.")]
    for activity in activities:
        key = f"activity-{activity.pk}"
        if activity.kind == ActivityKind.FIELD:
            if activity.place_id is None:
                problems.setdefault(key, []).append(_("A field activity needs a place."))
            if not activity.warrant_to_follow and not (
                activity.warrant_number and activity.warrant_date
            ):
                problems.setdefault(key, []).append(
                    _("A field activity needs a warrant number and date, or 'warrant to follow'.")
                )
    # A check saved offline with a document photo counts once the officer confirmed what the
    # photo filled in (issue #22 item 4).
    if activities:
        pending = Check.objects.filter(
            activity__in=[activity.pk for activity in activities], identity_pending=True
        ).values_list("activity_id", flat=True)
        for activity_id in sorted(set(pending)):
            problems.setdefault(f"activity-{activity_id}", []).append(
                _("A foreigner's identity read from a document photo is not confirmed yet.")
            )
    return problems


@transaction.atomic
def report_submit(
    *,
    report: DailyReport,
    by: User,
    client_id: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> DailyReport:
    """Submit a draft or returned report, freezing a revision; late if past the office deadline."""
    report = _lock(report)
    if report.officer_id != by.pk:
        raise PermissionDenied("only the author submits a report")
    if client_id is not None:
        # Looked up under the lock: a double tap's second request waits here for the first.
        earlier = ReportRevision.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.report_id != report.pk:
                raise ValidationError(_("This submit id was already used for another report."))
            return report
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(_("This report is already submitted."))
    problems = submit_problems(report)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        # Judged on the first submit only, so a returned-and-fixed report is not late twice.
        report.is_late = now > submit_deadline(report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.revision_number += 1
    report.save()
    ReportRevision.objects.create(
        report=report,
        number=report.revision_number,
        snapshot=report_snapshot(report),
        submitted_at=now,
        submitted_by=by,
        correction_reason=report.correction_reason,
        client_id=client_id,
    )
    _report_event(EventType.REPORT_SUBMITTED, report, by)
    audit.record(
        action="report.submit",
        actor=by,
        target=report,
        summary={"revision": report.revision_number, "late": report.is_late},
    )
    return report


def _report_event(event_type: str, report: DailyReport, by: User) -> None:
    """Tell the spine, in this transaction; supervision's subscribers notify after the commit."""
    spine.record(
        type=event_type,
        object_type="reports.dailyreport",
        object_id=report.pk,
        actor_id=by.pk,
        unit_path=report.unit.path,
        payload={"revision": report.revision_number},
    )


def _decidable(report: DailyReport, by: User) -> DailyReport:
    report = _lock(report)
    if report.officer_id == by.pk:
        raise PermissionDenied("nobody decides on their own report")
    if not access.can(by, "decide", report):
        raise PermissionDenied("only a leader of this unit or above decides on its reports")
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("This report was already decided by someone else, or is not submitted.")
        )
    return report


@transaction.atomic
def report_approve(*, report: DailyReport, by: User) -> DailyReport:
    """Approve a submitted report; it is frozen from then on."""
    report = _decidable(report, by)
    report.status = ReportStatus.APPROVED
    report.decided_by = by
    report.decided_at = timezone.now()
    report.return_reason = ""
    report.save()
    ReportDecision.objects.create(
        report=report,
        revision_number=report.revision_number,
        outcome="approved",
        decided_by=by,
        decided_at=report.decided_at,
    )
    _report_event(EventType.REPORT_APPROVED, report, by)
    audit.record(
        action="report.approve",
        actor=by,
        target=report,
        summary={"revision": report.revision_number},
    )
    return report


@transaction.atomic
def report_return(*, report: DailyReport, by: User, reason: str) -> DailyReport:
    """Send a submitted report back to its author with a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report goes back to the officer.")})
    report = _decidable(report, by)
    report.status = ReportStatus.RETURNED
    report.decided_by = by
    report.decided_at = timezone.now()
    report.return_reason = reason
    report.save()
    ReportDecision.objects.create(
        report=report,
        revision_number=report.revision_number,
        outcome="returned",
        reason=reason,
        decided_by=by,
        decided_at=report.decided_at,
    )
    _report_event(EventType.REPORT_RETURNED, report, by)
    audit.record(
        action="report.return",
        actor=by,
        target=report,
        summary={"revision": report.revision_number, "reason": reason},
    )
    return report


@transaction.atomic
def report_revise(*, report: DailyReport, by: User, reason: str) -> DailyReport:
    """Reopen an approved report for a correction; the approved revision stays readable."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    report = _lock(report)
    if report.officer_id != by.pk:
        raise PermissionDenied("only the author corrects a report")
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Only an approved report is corrected through a new revision."))
    report.status = ReportStatus.DRAFT
    report.correction_reason = reason
    report.decided_by = None
    report.decided_at = None
    report.save()
    audit.record(action="report.revise", actor=by, target=report, summary={"reason": reason})
    _report_event(EventType.REPORT_CORRECTED, report, by)
    return report


def _still_there(model, pk: int):
    # Read again under the report's lock: a second tap that waited finds the first one's work.
    return model.objects.filter(pk=pk).first()


def _linked_elsewhere() -> ValidationError:
    return ValidationError(
        _(
            "This is linked to a task, an operation, a direction or a follow-up that has "
            "started, so it cannot be removed; change it instead, or ask your leader."
        )
    )
