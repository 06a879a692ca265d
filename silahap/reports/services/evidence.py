"""Photo evidence of an activity: add (whole, or as a display copy whose original follows),
receive the original later, remove (the files and their hash stay in the record).

A request that brings an original stores it alone, once; the copies that are shown are made
from it by the worker (services/evidence_copies.py, queued after the commit). A phone's display
copy has no original yet to make them from: its own re-encoded copies are made in the request
(it is at most 1600 pixels) and shown until the original follows."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.reports import tasks
from silahap.reports.evidence import (
    EvidenceRejected,
    original_mismatch_message,
    photo_flag,
    photo_limit_message,
    process_display_copy,
    process_photo,
)
from silahap.reports.models import (
    Activity,
    Evidence,
)
from silahap.reports.services.daily import _editable, _still_there
from silahap.storage import discard_on_failure

if TYPE_CHECKING:
    from silahap.reports.evidence import DeclaredOriginal


# The service looks for the key itself before any work (and refuses another officer's key), so
# the decorator need not: it only settles two sends racing each other.
@idempotent(Evidence, owner="uploaded_by", look_first=False)
@transaction.atomic
def evidence_add(
    *,
    by: User,
    client_id: uuid.UUID,
    activity: Activity,
    data: bytes,
    caption: str = "",
    declared: DeclaredOriginal | None = None,
) -> Evidence:
    """Attach a photo: verified by decoding, original kept with its SHA-256, flagged if far off.

    With `declared`, `data` is the display copy a phone made and the original follows later
    (evidence_original_add): its SHA-256, EXIF time and point are the phone's until then."""
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
    # A phone that sent the original itself (a small photo) has nothing to follow.
    pending = declared is not None and hashlib.sha256(data).hexdigest() != declared.sha256
    try:
        if pending and declared is not None:
            photo = process_display_copy(data, declared)
        else:
            photo = process_photo(data, copies=False)
    except EvidenceRejected as rejected:
        raise ValidationError({"photo": [rejected.message]}, code=rejected.code) from None
    flag, taken_at = photo_flag(photo, activity, activity.report.unit.zone)
    evidence = Evidence(
        activity=activity,
        client_id=client_id,
        original_state=Evidence.OriginalState.PENDING if pending else Evidence.OriginalState.KEPT,
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
        if pending:
            evidence.display.save(f"{name}.jpg", ContentFile(photo.display_jpeg), save=False)
            evidence.thumbnail.save(f"{name}.jpg", ContentFile(photo.thumbnail_jpeg), save=False)
        else:
            evidence.original.save(name, ContentFile(data), save=False)
        evidence.save()
        audit.record(
            action="evidence.add",
            actor=by,
            target=evidence,
            summary={
                "activity": activity.pk,
                "sha256": photo.sha256,
                "flag": flag,
                "original": evidence.original_state,
                # The bytes the server got: the display copy's, when the original follows.
                **(
                    {"display_sha256": hashlib.sha256(data).hexdigest(), "display_bytes": len(data)}
                    if pending
                    else {}
                ),
            },
        )
    spine.record_about(
        evidence,
        type=EventType.EVIDENCE_ADDED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "report": activity.report_id},
    )
    if not pending:
        _queue_copies(evidence)
    return evidence


def _queue_copies(evidence: Evidence) -> None:
    # robust: a queue that cannot take the task does not undo the upload; the scheduler's sweep
    # (tasks.evidence_copies_sweep) queues it again.
    pk = evidence.pk
    transaction.on_commit(lambda: tasks.evidence_copies_make.enqueue(pk), robust=True)


@transaction.atomic
def evidence_original_add(*, by: User, evidence: Evidence, data: bytes) -> Evidence:
    """Receive the original of a photo sent as a display copy: kept only if its SHA-256 is the
    one declared with the copy; a repeat changes nothing. The report may be submitted or
    approved by now: the original completes the evidence, it changes nothing it says."""
    locked = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if locked is None:
        raise ValidationError(
            {"original": [_("This photo was removed from its activity.")]}, code="removed"
        )
    if locked.uploaded_by_id != by.pk:
        raise PermissionDenied("only the officer who took a photo sends its original")
    if locked.original_state != Evidence.OriginalState.PENDING:
        return locked
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 != locked.sha256:
        raise ValidationError({"original": [original_mismatch_message()]}, code="mismatch")
    try:
        photo = process_photo(data, copies=False)
    except EvidenceRejected as rejected:
        raise ValidationError({"original": [rejected.message]}, code=rejected.code) from None
    activity = locked.activity
    declared = {
        "taken_at": locked.taken_at.isoformat() if locked.taken_at else None,
        "latitude": str(locked.taken_latitude) if locked.taken_latitude is not None else None,
        "longitude": str(locked.taken_longitude) if locked.taken_longitude is not None else None,
    }
    # From now on the photo's time and point are read from the verified original, not taken
    # from the phone's word, and what is shown is made from it (by the worker: the copies made
    # from the phone's display copy are shown until then).
    flag, taken_at = photo_flag(photo, activity, activity.report.unit.zone)
    locked.original_state = Evidence.OriginalState.VERIFIED
    locked.original_received_at = timezone.now()
    locked.content_type = photo.content_type
    locked.size_bytes = photo.size_bytes
    locked.width, locked.height = photo.width, photo.height
    locked.taken_at = taken_at
    locked.taken_latitude, locked.taken_longitude = photo.latitude, photo.longitude
    locked.flag = flag
    name = locked.client_id.hex
    with discard_on_failure(locked.original):
        locked.original.save(name, ContentFile(data), save=False)
        locked.save()
        audit.record(
            action="evidence.original_verify",
            actor=by,
            target=locked,
            summary={
                "activity": activity.pk,
                "sha256": sha256,
                "size_bytes": photo.size_bytes,
                "flag": flag,
                "declared": declared,
                "found": {
                    "taken_at": taken_at.isoformat() if taken_at else None,
                    "latitude": str(photo.latitude) if photo.latitude is not None else None,
                    "longitude": str(photo.longitude) if photo.longitude is not None else None,
                },
            },
        )
    # The evidence changed (its time, point and flag are now the original's): an integrator
    # following the feed re-reads it, as it would after any other write.
    spine.record_about(
        locked,
        type=EventType.EVIDENCE_ORIGINAL_VERIFIED,
        by=by,
        unit=activity.report.unit,
        payload={"activity": activity.pk, "report": activity.report_id, "flag": flag},
    )
    _queue_copies(locked)
    return locked


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
