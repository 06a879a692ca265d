"""Corrections an officer makes to a draft or returned report: change or remove a check, remove
an activity, a finding or a photo (changing an activity is services.activity_update).

Each is keyword-only, runs in one transaction under the report's lock, checks that the caller is
the author of an editable report (services._editable), writes one audit event and records its
spine event. A repeat of a removal that already happened (a double tap waiting on the lock) does
nothing. Removed rows leave the database, but not the record: the audit event keeps what was
removed (a photo's SHA-256 and stored files), every earlier revision keeps its frozen snapshot,
and a photo's files stay in storage, so nothing an approved revision showed is physically lost.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.registry import warnings
from silahap.reports.models import Activity, Check, Comment, DailyReport, Evidence, Finding
from silahap.reports.services import _editable

CHECK_FIELDS = ("verification_method", "activity_observed", "matches_permit", "result", "notes")


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


def _followup_of(finding: Finding) -> int | None:
    # Supervision's case is reached through the relation only: reports does not import it.
    followup = getattr(finding, "followup", None)
    return None if followup is None else followup.pk


def _remove_finding(finding: Finding) -> None:
    """Delete a finding and the follow-up case it opened, if no step was taken in that case yet."""
    followup = getattr(finding, "followup", None)
    if followup is not None:
        if followup.steps.exists():
            raise _linked_elsewhere()
        followup.delete()
    finding.delete()


@transaction.atomic
def check_update(*, by: User, check: Check, **changes) -> Check:
    """Change how a foreigner's check went; the person stays (remove the check to change them)."""
    unknown = set(changes) - set(CHECK_FIELDS)
    if unknown:
        raise TypeError(f"check_update got unknown fields: {sorted(unknown)}")
    report = _editable(check.activity.report, by)
    for name, value in changes.items():
        setattr(check, name, value.strip() if isinstance(value, str) else value)
    check.full_clean(exclude=["matches_permit"] if check.matches_permit is None else None)
    check.save()
    audit.record(action="check.update", actor=by, target=check, summary={"fields": sorted(changes)})
    spine.record_about(
        check,
        type=EventType.CHECK_UPDATED,
        by=by,
        unit=report.unit,
        payload={"activity": check.activity_id, "report": report.pk, "fields": sorted(changes)},
    )
    return check


@transaction.atomic
def check_delete(*, by: User, check: Check) -> None:
    """Remove a foreigner's check, with the findings recorded against it."""
    report = _editable(check.activity.report, by)
    check = _still_there(Check, check.pk)
    if check is None:
        return
    person_id, activity_id = check.person_id, check.activity_id
    findings = list(Finding.objects.filter(check_record=check))
    audit.record(
        action="check.delete",
        actor=by,
        target=check,
        summary={
            "activity": activity_id,
            "person": person_id,
            "result": check.result,
            "findings": [
                {"finding": finding.pk, "followup": _followup_of(finding)} for finding in findings
            ],
        },
    )
    spine.record_about(
        check,
        type=EventType.CHECK_DELETED,
        by=by,
        unit=report.unit,
        payload={"activity": activity_id, "report": report.pk, "person": person_id},
    )
    try:
        with transaction.atomic():
            for finding in findings:
                _remove_finding(finding)
            check.delete()
    except ProtectedError:
        raise _linked_elsewhere() from None
    # The person's latest check (and with it their office for the permit warnings) may change.
    warnings.refresh_warning_columns([person_id])


@transaction.atomic
def finding_delete(*, by: User, finding: Finding) -> None:
    """Withdraw a finding; its follow-up case goes with it while no step has been taken."""
    report = _editable(finding.activity.report, by)
    finding = _still_there(Finding, finding.pk)
    if finding is None:
        return
    summary = {
        "activity": finding.activity_id,
        "violation": finding.violation_type.code,
        "person": finding.person_id,
        # Its empty follow-up case goes with it, named here.
        "followup": _followup_of(finding),
    }
    audit.record(action="finding.delete", actor=by, target=finding, summary=summary)
    spine.record_about(
        finding,
        type=EventType.FINDING_DELETED,
        by=by,
        unit=report.unit,
        payload={"activity": finding.activity_id, "report": report.pk},
    )
    try:
        with transaction.atomic():
            _remove_finding(finding)
    except ProtectedError:
        raise _linked_elsewhere() from None


@transaction.atomic
def evidence_delete(*, by: User, evidence: Evidence) -> None:
    """Remove a photo from an activity; its files stay in storage and its hash in the trail."""
    report = _editable(evidence.activity.report, by)
    evidence = _still_there(Evidence, evidence.pk)
    if evidence is None:
        return
    audit.record(
        action="evidence.delete",
        actor=by,
        target=evidence,
        summary={
            "activity": evidence.activity_id,
            "sha256": evidence.sha256,
            "size_bytes": evidence.size_bytes,
            "files": [evidence.original.name, evidence.display.name, evidence.thumbnail.name],
        },
    )
    spine.record_about(
        evidence,
        type=EventType.EVIDENCE_DELETED,
        by=by,
        unit=report.unit,
        payload={"activity": evidence.activity_id, "report": report.pk},
    )
    # A queryset delete: the row goes, the files are never touched (no storage delete is called).
    Evidence.objects.filter(pk=evidence.pk).delete()


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> DailyReport:
    """Remove an activity with its checks, findings and photos; its comments move to the report."""
    report = _editable(activity.report, by)
    activity = _still_there(Activity, activity.pk)
    if activity is None:
        return report
    checks = list(activity.checks.values_list("pk", "person_id"))
    findings = list(activity.findings.select_related("violation_type"))
    photos = list(activity.evidence.all())
    audit.record(
        action="activity.delete",
        actor=by,
        target=activity,
        summary={
            "report": report.pk,
            "kind": activity.kind,
            "started_at": activity.started_at.isoformat(),
            "place": activity.place_id,
            "checks": [{"check": pk, "person": person} for pk, person in checks],
            "findings": [
                {
                    "finding": finding.pk,
                    "violation": finding.violation_type.code,
                    "followup": _followup_of(finding),
                }
                for finding in findings
            ],
            "evidence": [
                {"sha256": photo.sha256, "files": [photo.original.name, photo.display.name]}
                for photo in photos
            ],
        },
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_DELETED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "kind": activity.kind},
    )
    try:
        with transaction.atomic():
            for finding in findings:
                _remove_finding(finding)
            Evidence.objects.filter(activity=activity).delete()
            Check.objects.filter(activity=activity).delete()
            # A leader's remark on the activity is kept, as a remark on the report.
            Comment.objects.filter(activity=activity).update(activity=None)
            activity.delete()
    except ProtectedError:
        raise _linked_elsewhere() from None
    warnings.refresh_warning_columns([person for _pk, person in checks])
    return report
