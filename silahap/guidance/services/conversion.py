"""The end of a tutorial's background conversion: keep the phone copy and poster, or the failure.

Its own module because the task that calls it (silahap.guidance.tasks) is enqueued by the upload
in services/tutorials.py: each imports the other's module otherwise.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.guidance.models import Tutorial, TutorialStatus


@transaction.atomic
def tutorial_conversion_finish(
    *, tutorial: Tutorial, small: bytes | None = None, poster: bytes | None = None, error: str = ""
) -> Tutorial:
    """Keep the phone copy and poster, or mark the upload failed with the reason."""
    tutorial = Tutorial.objects.select_for_update().get(pk=tutorial.pk)
    if tutorial.status != TutorialStatus.PROCESSING:
        return tutorial
    if error or not small or not poster:
        tutorial.status = TutorialStatus.FAILED
        tutorial.failure_reason = error or "no output"
        tutorial.save(update_fields=["status", "failure_reason"])
        audit.record(action="tutorial.convert_failed", target=tutorial, summary={"error": error})
        return tutorial
    tutorial.small.save("small.mp4", ContentFile(small), save=False)
    tutorial.poster.save("poster.jpg", ContentFile(poster), save=False)
    tutorial.small_bytes = len(small)
    tutorial.status = TutorialStatus.READY
    tutorial.save(update_fields=["small", "poster", "small_bytes", "status"])
    audit.record(action="tutorial.convert", target=tutorial, summary={"bytes": len(small)})
    spine.record(
        type=EventType.TUTORIAL_PUBLISHED,
        object_type="guidance.tutorial",
        object_id=tutorial.pk,
        actor_id=tutorial.created_by_id,
        payload={"required_roles": tutorial.required_roles},
    )
    return tutorial
