"""Every write to daily reports and their activities, checks and findings.

State changes happen only here: report_submit, report_approve, report_return and report_revise.
Each is keyword-only, runs in one transaction, raises PermissionDenied or ValidationError when
not allowed, and records one audit event.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import derived_key, idempotent
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, Place, StayPermit
from silahap.reports.models import (
    Activity,
    ActivityKind,
    Check,
    Comment,
    DailyReport,
    Evidence,
    Finding,
    ReportDecision,
    ReportRevision,
    ReportStatus,
    ViolationType,
)
from silahap.reports.snapshot import report_snapshot

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


def _report_for_day(
    *, officer: User, unit: OrgUnit, day: datetime.date, lock: bool = False
) -> tuple[DailyReport, bool]:
    """The officer's report of a day, made if missing; with lock=True read under its row lock
    in the same query (the usual case, the report exists, is one query)."""
    reports = _locking() if lock else DailyReport.objects
    report = reports.filter(officer=officer, report_date=day).first()
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            report = DailyReport.objects.create(officer=officer, unit=unit, report_date=day)
    except IntegrityError:
        # A second tab or a retry created it a moment ago: use that one.
        return reports.get(officer=officer, report_date=day), False
    return (_lock(report) if lock else report), True


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


def _point(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.000001"))


ACTIVITY_FIELDS = (
    "kind",
    "source",
    "classification",
    "warrant_number",
    "warrant_date",
    "warrant_to_follow",
    "started_at",
    "ended_at",
    "place",
    "latitude",
    "longitude",
    "location_accuracy_m",
    "location_source",
    "description",
    "conclusion",
    "recommendation",
)


# What the database says when a constraint refuses an activity the form let through (the form
# and the service check these first; the database is the last word, and it is not asked twice).
ACTIVITY_CONSTRAINTS = {
    "activity_kind_valid": ("kind", _lazy("Choose a kind of activity.")),
    "activity_source_valid": ("source", _lazy("Choose where the activity came from.")),
    "activity_classification_valid": ("classification", _lazy("Choose open or closed.")),
    "activity_ends_after_start": ("ended_at", _lazy("The end cannot be before the start.")),
    "activity_point_valid": ("latitude", _lazy("The location is not a point on the map.")),
    "activity_warrant_either_number_or_to_follow": (
        "warrant_number",
        _lazy("Give a warrant number or mark the warrant to follow, not both."),
    ),
}


def _refused_by_constraint(error: IntegrityError, constraints: dict) -> ValidationError | None:
    """The ValidationError for a CHECK constraint named in a database error, or None (e.g. a
    unique key, which the idempotent decorator answers)."""
    text = str(error)
    for name, (field, message) in constraints.items():
        if name in text:
            return ValidationError({field: [str(message)]}, code=name)
    return None


# No lookup first: a repeated client_id is answered when the database refuses the key.
@idempotent(Activity, owner="report__officer", look_first=False)
@transaction.atomic(savepoint=False)
def activity_create(
    *,
    by: User,
    client_id: uuid.UUID,
    kind: str,
    source: str,
    started_at: datetime.datetime,
    classification: str = Activity.Classification.OPEN,
    ended_at: datetime.datetime | None = None,
    warrant_number: str = "",
    warrant_date: datetime.date | None = None,
    warrant_to_follow: bool = False,
    place: Place | None = None,
    latitude=None,
    longitude=None,
    location_accuracy_m: int | None = None,
    location_source: str = "none",
    description: str = "",
    conclusion: str = "",
    recommendation: str = "",
) -> Activity:
    """Add an activity to the report of the day it started; a repeated client_id finds the first.

    Lean on purpose (the officer's most frequent write): the report is found and locked in one
    query, the fields are checked in Python, and the database's constraints are asked once, by
    the INSERT itself, not probed one by one by full_clean()."""
    if ended_at is not None and ended_at < started_at:
        raise ValidationError({"ended_at": _("The end cannot be before the start.")})
    unit = reporting_unit(by)
    # The report it opens is named in this call's one audit event, not given an event of its own.
    report, report_opened = _report_for_day(
        officer=by, unit=unit, day=local_date(unit, started_at), lock=True
    )
    if report_opened:
        spine.record_about(
            report,
            type=EventType.REPORT_OPENED,
            by=by,
            unit=unit,
            payload={"date": report.report_date.isoformat()},
        )
    report = _editable_locked(report, by)
    activity = Activity(
        report=report,
        client_id=client_id,
        kind=kind,
        source=source,
        classification=classification,
        warrant_number="" if warrant_to_follow else warrant_number.strip(),
        warrant_date=None if warrant_to_follow else warrant_date,
        warrant_to_follow=warrant_to_follow,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        latitude=_point(latitude),
        longitude=_point(longitude),
        location_accuracy_m=location_accuracy_m,
        location_source=location_source,
        description=description.strip(),
        conclusion=conclusion.strip(),
        recommendation=recommendation.strip(),
    )
    # Field by field, without the database: choices, lengths, blanks (the FKs were read by the
    # caller: the report under its lock, the place through the form's visible_to).
    activity.clean_fields(exclude=["report", "place", "client_id"])
    try:
        activity.save(force_insert=True)
    except IntegrityError as error:
        refused = _refused_by_constraint(error, ACTIVITY_CONSTRAINTS)
        if refused is None:
            raise  # the client_id's unique key: the idempotent decorator answers it
        raise refused from error
    audit.record(
        action="activity.create",
        actor=by,
        target=activity,
        summary={
            "report": report.pk,
            "report_opened": report_opened,
            "kind": kind,
            "source": source,
        },
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_CREATED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "kind": kind, "classification": classification},
    )
    return activity


@transaction.atomic
def activity_update(*, by: User, activity: Activity, **changes) -> Activity:
    """Change an activity of an editable report; it stays on the report it was filed under."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update got unknown fields: {sorted(unknown)}")
    report = _editable(activity.report, by)
    if "started_at" in changes and local_date(report.unit, changes["started_at"]) != (
        report.report_date
    ):
        # An activity belongs to the report of the day it started (DESIGN.md §2).
        raise ValidationError(
            {"started_at": _("An activity cannot move to another day; add it to that day instead.")}
        )
    if changes.get("warrant_to_follow"):
        changes["warrant_number"], changes["warrant_date"] = "", None
    for point_field in ("latitude", "longitude"):
        if point_field in changes:
            changes[point_field] = _point(changes[point_field])
    for name, value in changes.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if activity.ended_at is not None and activity.ended_at < activity.started_at:
        raise ValidationError({"ended_at": _("The end cannot be before the start.")})
    activity.full_clean(exclude=["report"])
    activity.save()
    if "started_at" in changes:
        # Which check of a person is the latest (their office for the permit warnings) may change.
        warnings.refresh_warning_columns(ForeignNational.objects.filter(checks__activity=activity))
    audit.record(
        action="activity.update", actor=by, target=activity, summary={"fields": sorted(changes)}
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_UPDATED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "fields": sorted(changes)},
    )
    return activity


@idempotent(Check, owner="activity__report__officer")
@transaction.atomic
def check_create(
    *,
    by: User,
    client_id: uuid.UUID,
    activity: Activity,
    person: ForeignNational,
    verification_method: str,
    result: str,
    permit: StayPermit | None = None,
    activity_observed: str = "",
    matches_permit: bool | None = None,
    notes: str = "",
) -> Check:
    """Record one foreigner checked in an activity; a repeated client_id returns the first."""
    existing = Check.objects.filter(client_id=client_id).select_related("activity__report").first()
    if existing is not None:
        if existing.activity.report.officer_id != by.pk:
            raise PermissionDenied("that check belongs to someone else")
        return existing
    _editable(activity.report, by)
    if permit is not None and permit.person_id != person.pk:
        raise ValidationError({"permit": _("This stay permit belongs to someone else.")})
    if Check.objects.filter(activity=activity, person=person).exists():
        raise ValidationError({"person": _("This person is already checked in this activity.")})
    check = Check(
        activity=activity,
        client_id=client_id,
        person=person,
        permit=permit,
        verification_method=verification_method,
        activity_observed=activity_observed.strip(),
        matches_permit=matches_permit,
        result=result,
        notes=notes.strip(),
    )
    # None is "not assessed"; the field lacks blank=True, so full_clean would refuse it. The
    # person (and with it their once-per-activity key) is left to the test above and the insert.
    check.full_clean(exclude=["person", "matches_permit"] if matches_permit is None else ["person"])
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError as error:
        # Another save of this person's check (a second tap, its own key) landed between the
        # test above and this insert: where the report's lock serialises nothing (SQLite).
        if "check_person_once_per_activity" not in str(error) and not (
            Check.objects.filter(activity=activity, person=person).exists()
        ):
            raise
        raise ValidationError(
            {"person": _("This person is already checked in this activity.")}
        ) from error
    warnings.refresh_warning_columns([person.pk])
    audit.record(
        action="check.create",
        actor=by,
        target=check,
        summary={"activity": activity.pk, "person": person.pk, "result": result},
    )
    spine.record_about(
        check,
        type=EventType.CHECK_RECORDED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "person": person.pk, "result": result},
    )
    return check


@idempotent(Finding, owner="activity__report__officer")
@transaction.atomic
def finding_create(
    *,
    by: User,
    client_id: uuid.UUID,
    activity: Activity,
    violation_type: ViolationType,
    person: ForeignNational | None = None,
    check: Check | None = None,
    description: str = "",
    overstay_days: int | None = None,
) -> Finding:
    """Record a suspected violation; a repeated client_id returns the first."""
    existing = (
        Finding.objects.filter(client_id=client_id).select_related("activity__report").first()
    )
    if existing is not None:
        if existing.activity.report.officer_id != by.pk:
            raise PermissionDenied("that finding belongs to someone else")
        return existing
    _editable(activity.report, by)
    if check is not None and check.activity_id != activity.pk:
        raise ValidationError({"check": _("That check belongs to another activity.")})
    if check is not None and person is not None and check.person_id != person.pk:
        raise ValidationError({"person": _("This is not the person of that check.")})
    finding = Finding(
        activity=activity,
        client_id=client_id,
        check_record=check,
        person=person or (check.person if check else None),
        violation_type=violation_type,
        description=description.strip(),
        overstay_days=overstay_days,
    )
    finding.full_clean()
    finding.save()
    audit.record(
        action="finding.create",
        actor=by,
        target=finding,
        summary={"activity": activity.pk, "violation": violation_type.code},
    )
    # A finding opens its follow-up case (DESIGN.md §2): supervision's subscriber does it.
    spine.record_about(
        finding,
        type=EventType.FINDING_RECORDED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "violation": violation_type.code},
    )
    return finding


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


@transaction.atomic
def activity_create_at_new_place(*, by: User, client_id: uuid.UUID, place: dict, **activity):
    """Create a place on the spot and the activity there, both or neither; a retry adds nothing."""
    existing = Activity.objects.filter(client_id=client_id).first()
    if existing is not None:
        return activity_create(by=by, client_id=client_id, **activity)
    from silahap.registry import services as registry

    # Its own key derived from the activity's: a concurrent resend finds this place, not a twin.
    new_place = registry.place_create(by=by, client_id=derived_key(client_id, "place"), **place)
    return activity_create(by=by, client_id=client_id, place=new_place, **activity)


@transaction.atomic
def check_create_for_new_person(*, by: User, client_id: uuid.UUID, person: dict, **check) -> Check:
    """Register the foreigner (or find them by document) and record the check, in one step."""
    existing = Check.objects.filter(client_id=client_id).first()
    if existing is not None:
        # Through check_create, so a retry of someone else's check is refused there.
        return check_create(by=by, client_id=client_id, person=existing.person, **check)
    from silahap.registry import services as registry

    result = registry.person_create(by=by, **person)
    permit = result.person.permits.order_by("-valid_until").first()
    return check_create(
        by=by,
        client_id=client_id,
        person=result.person,
        permit=check.pop("permit", None) or permit,
        **check,
    )


@idempotent(Comment, owner="author")
@transaction.atomic
def comment_create(
    *,
    by: User,
    client_id: uuid.UUID,
    report: DailyReport,
    body: str,
    activity: Activity | None = None,
) -> Comment:
    """Comment on a report or one of its activities: its author and the leaders above may."""
    existing = Comment.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.author_id != by.pk:
            raise PermissionDenied("that comment belongs to someone else")
        return existing
    if not access.can(by, "comment", report):
        raise PermissionDenied("only the author and the leaders above comment on a report")
    if activity is not None and activity.report_id != report.pk:
        raise ValidationError({"activity": _("That activity belongs to another report.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    comment = Comment.objects.create(
        report=report, activity=activity, client_id=client_id, author=by, body=body
    )
    audit.record(
        action="comment.create",
        actor=by,
        target=comment,
        summary={"report": report.pk, "activity": activity.pk if activity else None},
    )
    spine.record_about(
        comment,
        type=EventType.COMMENT_POSTED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "activity": activity.pk if activity else None},
    )
    return comment


@idempotent(Evidence, owner="uploaded_by")
@transaction.atomic
def evidence_add(
    *, by: User, client_id: uuid.UUID, activity: Activity, data: bytes, caption: str = ""
) -> Evidence:
    """Attach a photo: verified by decoding, original kept with its SHA-256, flagged if far off."""
    from django.core.files.base import ContentFile

    from silahap.reports.evidence import (
        EvidenceRejected,
        photo_flag,
        photo_limit_message,
        process_photo,
    )
    from silahap.storage import discard_on_failure

    existing = Evidence.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.uploaded_by_id != by.pk:
            raise PermissionDenied("that photo was added by someone else")
        return existing
    # Counted under the report's lock, so two uploads at once cannot pass the limit together.
    _editable(activity.report, by)
    limit = settings.SILAHAP_EVIDENCE_MAX_PER_ACTIVITY
    if Evidence.objects.filter(activity=activity).count() >= limit:
        raise ValidationError({"photo": [photo_limit_message(limit)]}, code="too_many_photos")
    try:
        photo = process_photo(data)
    except EvidenceRejected as rejected:
        raise ValidationError({"photo": [rejected.message]}, code=rejected.code) from None
    flag, taken_at = photo_flag(photo, activity, activity.report.unit.zone)
    evidence = Evidence(
        activity=activity,
        client_id=client_id,
        sha256=photo.sha256,
        content_type=photo.content_type,
        size_bytes=photo.size_bytes,
        width=photo.width,
        height=photo.height,
        taken_at=taken_at,
        taken_latitude=photo.latitude,
        taken_longitude=photo.longitude,
        flag=flag,
        caption=caption.strip()[:300],
        uploaded_by=by,
    )
    name = client_id.hex
    # A failure after the files are stored (the row, the audit event) removes them again.
    with discard_on_failure(evidence.original, evidence.display, evidence.thumbnail):
        evidence.original.save(name, ContentFile(data), save=False)
        evidence.display.save(f"{name}.jpg", ContentFile(photo.display_jpeg), save=False)
        evidence.thumbnail.save(f"{name}.jpg", ContentFile(photo.thumbnail_jpeg), save=False)
        evidence.save()
        audit.record(
            action="evidence.add",
            actor=by,
            target=evidence,
            summary={"activity": activity.pk, "sha256": photo.sha256, "flag": flag},
        )
    spine.record_about(
        evidence,
        type=EventType.EVIDENCE_ADDED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "report": activity.report_id},
    )
    return evidence
