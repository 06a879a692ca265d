"""Photo evidence of an activity: add, remove (the files and their hash stay in the record)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.reports.models import (
    Activity,
    Evidence,
)
from silahap.reports.services.daily import _editable, _still_there


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
