"""What guidance does after its own writes: tell people, in the app and by email.

Registered on the event spine; each runs once per event, after the commit, in the task worker.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import User
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.guidance.models import Direction
from silahap.supervision.models import NotificationKind
from silahap.supervision.notifications import deliver

EXCERPT = 120


def _tell(direction: Direction, user_ids: list[int], kind: str) -> None:
    params = {
        "sender": str(direction.created_by),
        "excerpt": direction.body[:EXCERPT],
    }
    day = timezone.localdate(timezone=direction.unit.zone)
    for user in User.objects.filter(pk__in=user_ids):
        deliver(
            recipient=user,
            kind=kind,
            target=direction,
            day=day,
            params=params,
            url=direction.get_absolute_url(),
        )


def _direction(event: BusinessEvent) -> Direction:
    return Direction.objects.select_related("created_by", "unit").get(pk=event.object_id)


@spine.subscribe(EventType.DIRECTION_SENT, name="guidance.notify_urgent_direction")
def notify_urgent_direction(event: BusinessEvent) -> None:
    """An urgent direction reaches its recipients at once; a normal one waits on today's page."""
    if event.payload.get("priority") != "urgent":
        return
    _tell(_direction(event), event.payload["recipients"], NotificationKind.DIRECTION_URGENT)


@spine.subscribe(EventType.DIRECTION_REMINDED, name="guidance.notify_direction_reminder")
def notify_direction_reminder(event: BusinessEvent) -> None:
    _tell(_direction(event), event.payload["users"], NotificationKind.DIRECTION_REMINDER)


@spine.subscribe(EventType.TRAINING_REMINDED, name="guidance.notify_training_reminder")
def notify_training_reminder(event: BusinessEvent) -> None:
    sender = User.objects.get(pk=event.actor_id)
    day = timezone.localdate()
    for user in User.objects.filter(pk__in=list(event.payload["items"])):
        deliver(
            recipient=user,
            kind=NotificationKind.TRAINING_REMINDER,
            target=user,
            day=day,
            params={"sender": str(sender), "items": event.payload["items"][str(user.pk)]},
            url=reverse("guidance:training"),
        )
