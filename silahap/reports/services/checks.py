"""Checks of a foreigner within an activity: create (also of a new person), change, remove."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.registry import services as registry
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, StayPermit
from silahap.reports.models import (
    Activity,
    Check,
    Finding,
)
from silahap.reports.services.daily import (
    _editable,
    _editable_locked,
    _linked_elsewhere,
    _lock,
    _still_there,
)
from silahap.reports.services.findings import _followup_of, _remove_finding


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
    identity_pending: bool = False,
    identity_reading: dict | None = None,
) -> Check:
    """Record one foreigner checked in an activity; a repeated client_id returns the first.

    identity_pending: saved offline with a photo of the document, read when the phone came back
    online (identity_reading says what it filled); the officer confirms it later.
    """
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
        identity_pending=identity_pending,
        identity_reading=identity_reading if identity_pending else None,
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
        summary={
            "activity": activity.pk,
            "person": person.pk,
            "result": result,
            **({"identity_pending": True} if identity_pending else {}),
        },
    )
    spine.record_about(
        check,
        type=EventType.CHECK_RECORDED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "person": person.pk, "result": result},
    )
    return check


@transaction.atomic
def check_create_for_new_person(*, by: User, client_id: uuid.UUID, person: dict, **check) -> Check:
    """Register the foreigner (or find them by document) and record the check, in one step."""
    existing = Check.objects.filter(client_id=client_id).first()
    if existing is not None:
        # Through check_create, so a retry of someone else's check is refused there.
        return check_create(by=by, client_id=client_id, person=existing.person, **check)

    result = registry.person_create(by=by, **person)
    permit = result.person.permits.order_by("-valid_until").first()
    return check_create(
        by=by,
        client_id=client_id,
        person=result.person,
        permit=check.pop("permit", None) or permit,
        **check,
    )


CHECK_FIELDS = ("verification_method", "activity_observed", "matches_permit", "result", "notes")


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
def check_identity_confirm(*, by: User, check: Check) -> Check:
    """The officer confirms the identity a document photo filled in while offline: the check
    counts as complete. Only its author; a repeat (a double tap) changes and records nothing."""
    report = check.activity.report
    if report.officer_id != by.pk:
        raise PermissionDenied("only the author confirms a check's identity")
    # The report's lock first, as every correction takes it: a double tap waits here.
    report = _lock(report)
    check = Check.objects.get(pk=check.pk)
    if not check.identity_pending:
        return check
    report = _editable_locked(report, by)
    check.identity_pending = False
    check.save(update_fields=["identity_pending", "updated_at"])
    audit.record(
        action="check.identity_confirm",
        actor=by,
        target=check,
        summary={"activity": check.activity_id, "reading": check.identity_reading or {}},
    )
    spine.record_about(
        check,
        type=EventType.CHECK_UPDATED,
        by=by,
        unit=report.unit,
        payload={
            "activity": check.activity_id,
            "report": report.pk,
            "fields": ["identity_pending"],
        },
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
