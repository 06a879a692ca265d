"""Findings of an activity: record one, remove one (with the follow-up case it opened, while no
step was taken in it).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.registry.models import ForeignNational
from silahap.reports.models import (
    Activity,
    Check,
    Finding,
    ViolationType,
)
from silahap.reports.services.daily import _editable, _linked_elsewhere, _still_there


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


FINDING_FIELDS = ("violation_type", "description", "overstay_days")


@transaction.atomic
def finding_update(*, by: User, finding: Finding, **changes) -> Finding:
    """Correct what a finding says (violation, description, days of overstay); the person and
    the check it rests on stay (withdraw it and record another to change them). Its follow-up
    case, if one was opened, follows the finding it points to."""
    unknown = set(changes) - set(FINDING_FIELDS)
    if unknown:
        raise TypeError(f"finding_update got unknown fields: {sorted(unknown)}")
    report = _editable(finding.activity.report, by)
    current = _still_there(Finding, finding.pk)
    if current is None:
        raise ValidationError(_("This finding was withdrawn in the meantime."))
    finding = current
    for name, value in changes.items():
        setattr(finding, name, value.strip() if isinstance(value, str) else value)
    finding.full_clean()
    finding.save(update_fields=[*changes, "updated_at"])
    fields = sorted(changes)
    audit.record(
        action="finding.update",
        actor=by,
        target=finding,
        summary={
            "activity": finding.activity_id,
            "fields": fields,
            "violation": finding.violation_type.code,
        },
    )
    spine.record_about(
        finding,
        type=EventType.FINDING_UPDATED,
        by=by,
        unit=report.unit,
        payload={"activity": finding.activity_id, "report": report.pk, "fields": fields},
    )
    return finding
