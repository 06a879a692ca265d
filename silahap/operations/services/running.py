"""While an operation runs: officers' activities linked to it, partner agencies' actions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.operations.models import Operation, OperationActivity, OperationTarget, PartnerAction
from silahap.operations.services.common import record_event
from silahap.reports.models import Activity

PHOTO_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def link_refusal(*, by: User, operation: Operation, activity: Activity) -> str:
    """Why `activity` may not count for `operation`, or "" (issue 16 §8)."""
    if activity.report.officer_id != by.pk:
        return _("Only the officer who filed the activity links it to an operation.")
    if not operation.members.filter(user=by).exists() or access.is_partner(by):
        return _(
            "You are not on a team of operation %(operation)s: ask its leader to add you first."
        ) % {"operation": operation.number}
    if not (operation.starts_at <= activity.started_at < operation.ends_at):
        zone = operation.zone
        return _(
            "The activity starts at %(start)s, outside the period of operation %(operation)s "
            "(%(from)s – %(until)s): correct the activity's start or choose another operation."
        ) % {
            "start": f"{timezone.localtime(activity.started_at, zone):%d-%m-%Y %H:%M}",
            "operation": operation.number,
            "from": f"{timezone.localtime(operation.starts_at, zone):%d-%m-%Y %H:%M}",
            "until": f"{timezone.localtime(operation.ends_at, zone):%d-%m-%Y %H:%M}",
        }
    if operation.state() not in (Operation.Status.RUNNING, Operation.Status.FINISHED):
        return _("Operation %(operation)s is not running.") % {"operation": operation.number}
    return ""


@transaction.atomic
def operation_activity_link(
    *, by: User, operation: Operation, activity: Activity
) -> OperationActivity:
    """File an activity under an operation, so its places, checks and findings count there."""
    refusal = link_refusal(by=by, operation=operation, activity=activity)
    if refusal:
        raise ValidationError({"operation": refusal})
    link, created = OperationActivity.objects.get_or_create(
        activity=activity, defaults={"operation": operation, "linked_by": by}
    )
    if not created and link.operation_id == operation.pk:
        return link
    if not created:
        link.operation = operation
        link.linked_by = by
        link.save(update_fields=["operation", "linked_by"])
    audit.record(
        action="operation.activity_link",
        actor=by,
        target=operation,
        summary={"activity": activity.pk},
    )
    record_event(EventType.OPERATION_ACTIVITY_LINKED, target=operation, by=by, activity=activity.pk)
    return link


@transaction.atomic
def operation_activity_unlink(*, by: User, activity: Activity) -> None:
    """Take an activity out of its operation (the officer chose "no operation")."""
    link = OperationActivity.objects.filter(activity=activity).select_related("operation").first()
    if link is None:
        return
    if activity.report.officer_id != by.pk:
        raise PermissionDenied("only the author")
    operation = link.operation
    link.delete()
    audit.record(
        action="operation.activity_unlink",
        actor=by,
        target=operation,
        summary={"activity": activity.pk},
    )


def _photo_type(data: bytes) -> str:
    for signature, content_type in PHOTO_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise ValidationError({"photo": _("The photo must be a JPEG or PNG image.")})


@idempotent(PartnerAction, owner="recorded_by")
@transaction.atomic
def partner_action_record(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    operation: Operation,
    target: OperationTarget,
    description: str,
    count: int | None = None,
    photo: bytes | None = None,
) -> PartnerAction:
    """Record what the member's agency did at a target, within its own authority."""
    access.require(by, "record_partner_action", operation)
    if target.operation_id != operation.pk:
        raise ValidationError(
            {"target": _("This target belongs to another operation: choose one of this one.")}
        )
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Say what your agency did.")})
    action = PartnerAction(
        operation=operation,
        target=target,
        agency=by.agency,
        description=description,
        count=count,
        recorded_by=by,
        client_id=client_id,
    )
    if photo:
        if len(photo) > settings.SILAHAP_EVIDENCE_MAX_BYTES:
            raise ValidationError({"photo": _("The photo is too large.")})
        action.photo_type = _photo_type(photo)
        action.photo.save("photo", ContentFile(photo), save=False)
    action.full_clean(exclude=["client_id", "photo"])
    action.save()
    audit.record(
        action="partner_action.record",
        actor=by,
        target=action,
        summary={"operation": operation.pk, "target": target.pk, "agency": by.agency},
    )
    record_event(
        EventType.PARTNER_ACTION_RECORDED,
        target=operation,
        by=by,
        action=action.pk,
        agency=by.agency,
    )
    return action
