"""The copies of a photo that are shown, its display copy and thumbnail, made by the worker from
the stored original once the upload's request has answered: encoding them was most of an
upload's time, and two of its three writes to the store.

Its own module because the task that runs it (silahap.reports.tasks) is queued by the uploads in
services/evidence.py: each would import the other's module otherwise.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from silahap.reports.evidence import process_photo
from silahap.reports.models import Evidence
from silahap.storage import discard_on_failure

logger = logging.getLogger(__name__)

# The worker makes the copies within seconds; a photo still without them after this long had
# its task fail, or never queued (the queue refused it, or the worker died with it).
SWEEP_AFTER = datetime.timedelta(minutes=5)
SWEEP_LIMIT = 200
# Queued again in the minute after each doubling of that wait (5, 10, 20 ... 1,280 minutes),
# then left: a photo whose copies can never be made leaves 9 failed results over a day, not
# one a minute for ever (they stay in the queue's results; /metrics counts them).
SWEEP_SLOTS = tuple(SWEEP_AFTER * 2**step for step in range(9))
SWEEP_SLOT_WIDTH = datetime.timedelta(minutes=1)


class OriginalUnreadable(RuntimeError):
    """The stored original is not the file whose SHA-256 the record holds: nothing is made from
    it, and the failed task says so (the queue keeps it, /metrics counts it)."""


class _Unneeded(Exception):
    pass


def copies_due() -> list[int]:
    """Photos whose original is stored but whose copies were not made from it, in one of the
    retry slots since their last change (the scheduler asks every minute)."""
    now = timezone.now()
    in_a_slot = Q(pk__in=[])
    for wait in SWEEP_SLOTS:
        in_a_slot |= Q(updated_at__lte=now - wait, updated_at__gt=now - wait - SWEEP_SLOT_WIDTH)
    return list(
        Evidence.objects.filter(in_a_slot, copies_from_original=False)
        .exclude(original="")
        .order_by("updated_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )


def evidence_copies_make(*, evidence_id: int) -> str:
    """Make a stored original's display copy and thumbnail, once: a repeat, a photo removed
    meanwhile, or one whose original has not arrived yet, stores nothing and leaves no file."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        return "removed"
    if evidence.copies_from_original:
        return "done"
    if not evidence.original:
        return "waiting"  # the phone's display copy is shown until its original follows
    with evidence.original.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise OriginalUnreadable(
            f"evidence {evidence.pk}: the stored original {evidence.original.name} does not "
            "have the recorded SHA-256"
        )
    # Checked on upload already; the limits are the file's own so a limit lowered since then
    # does not strand it.
    pixels = (evidence.width or 0) * (evidence.height or 0)
    photo = process_photo(data, max_bytes=len(data), max_pixels=pixels or None)
    name = evidence.client_id.hex
    superseded: list[str] = []
    try:
        with discard_on_failure(evidence.display, evidence.thumbnail):
            evidence.display.save(f"{name}.jpg", ContentFile(photo.display_jpeg), save=False)
            evidence.thumbnail.save(f"{name}.jpg", ContentFile(photo.thumbnail_jpeg), save=False)
            with transaction.atomic():
                locked = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
                if locked is None:
                    raise _Unneeded("removed")
                if locked.copies_from_original:
                    raise _Unneeded("done")  # another worker ran the same task first
                # The copies made from the phone's display copy, shown until now.
                superseded = [n for n in (locked.display.name, locked.thumbnail.name) if n]
                # Not save(): `updated_at` tells integrators the record changed, and it did not.
                Evidence.objects.filter(pk=locked.pk).update(
                    display=evidence.display.name,
                    thumbnail=evidence.thumbnail.name,
                    copies_from_original=True,
                )
    except _Unneeded as unneeded:
        return str(unneeded)
    for stale in superseded:
        with contextlib.suppress(Exception):
            evidence.display.storage.delete(stale)
    return "made"
