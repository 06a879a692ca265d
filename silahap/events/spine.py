"""The event spine: write services record what happened; higher layers subscribe and react.

A write service calls `record()` inside its own transaction, so the event exists exactly when the
write does. After the commit the task worker runs `dispatch()`: each subscriber of the event's type
runs in a transaction of its own together with its `Delivery` row, so its effects land once per
event even if two workers dispatch the same event. A subscriber that fails is rolled back, noted
and tried again by `sweep()` (every minute, from `run_scheduler`), which also picks up events whose
dispatch never ran because the worker died between the commit and the dispatch. Nothing a
subscriber does can undo or delay the write that recorded the event.

A lower layer never imports a higher one: the higher layer registers with `@subscribe(...)` in its
own module (imported from its AppConfig.ready), and the lower layer only records.

An event may be held from the outside world until a moment (`publish_at`: a national operation
is confidential until its start). Subscribers inside SiLAHAP hear it at once; it gets its feed
position, and `outward` subscribers (the webhooks) hear it, only from that moment, through the
sweep: a later position than any a reader has passed, so the feed's promise holds.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from silahap import changes
from silahap.events.models import BusinessEvent, Delivery, SpineCursor
from silahap.events.types import EventType

logger = logging.getLogger(__name__)

Handler = Callable[[BusinessEvent], object]
# The normal path dispatches right after the commit; the sweep leaves an event this long to it.
SWEEP_GRACE = datetime.timedelta(seconds=30)
SWEEP_LIMIT = 500


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_type: str
    handle: Handler
    # Tells the outside world: runs for a held event only once its publish_at has come.
    outward: bool = False


_subscribers: dict[str, dict[str, Subscriber]] = {}


def subscribe(event_type: str, *, name: str, outward: bool = False) -> Callable[[Handler], Handler]:
    """Register the decorated function to handle every event of `event_type`, once each.

    `name` is the subscriber's lasting identity (its deliveries are remembered under it): keep it
    when the function moves, change it only to handle past events again. An `outward` subscriber
    (one that tells systems outside SiLAHAP) hears a held event only from its `publish_at`.
    """
    if event_type not in EventType.values:
        raise ImproperlyConfigured(f"unknown event type {event_type!r}: add it to events.types")

    def register(handle: Handler) -> Handler:
        by_name = _subscribers.setdefault(event_type, {})
        existing = by_name.get(name)
        if existing is not None and existing.handle is not handle:
            raise ImproperlyConfigured(f"two subscribers named {name!r} for {event_type}")
        by_name[name] = Subscriber(name=name, event_type=event_type, handle=handle, outward=outward)
        return handle

    return register


def unsubscribe(event_type: str, *, name: str) -> None:
    _subscribers.get(event_type, {}).pop(name, None)


def subscribers(event_type: str) -> list[Subscriber]:
    return list(_subscribers.get(event_type, {}).values())


def record(
    *,
    type: str,
    object_type: str,
    object_id: object,
    actor_id: int | None = None,
    unit_path: str = "",
    payload: dict | None = None,
    publish_at: datetime.datetime | None = None,
) -> BusinessEvent:
    """Record that something happened, in the caller's transaction; subscribers run after commit.

    `publish_at`: hold the event from the feed and outward subscribers until then (a moment in
    the past or now holds nothing)."""
    if type not in EventType.values:
        raise ValueError(f"unknown event type {type!r}: add it to events.types")
    now = timezone.now()
    held = publish_at is not None and publish_at > now
    event = BusinessEvent.objects.create(
        type=type,
        occurred_at=now,
        actor_id=actor_id,
        object_type=object_type,
        object_id=str(object_id),
        unit_path=unit_path,
        payload=payload or {},
        publish_at=publish_at if held else None,
    )
    # The unit's data changed: pages that poll it (the live board) are told once committed.
    changes.unit_changed(unit_path)
    if any(not held or not s.outward for s in _subscribers.get(type, {}).values()):
        # robust: a queue that cannot take the job must not turn a committed write into an
        # error; the sweep dispatches the event later.
        transaction.on_commit(partial(dispatch_event.enqueue, event.pk), robust=True)
    # With nobody listening there is nothing to run now: the sweep numbers the event for the
    # feed and marks it handled, without a job per write.
    return event


def record_about(
    instance: models.Model,
    *,
    type: str,
    by: object = None,
    unit: object = None,
    payload: dict | None = None,
    publish_at: datetime.datetime | None = None,
) -> BusinessEvent:
    """Record an event about a saved row: its model label and key, the unit it belongs to.

    `by` and `unit` are any objects with `pk` and `path` (a user, an org unit); the payload holds
    ids and codes, never personal data: readers fetch the row itself through its access rules.
    """
    return record(
        type=type,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        actor_id=getattr(by, "pk", None),
        unit_path=getattr(unit, "path", "") or "",
        payload=payload,
        publish_at=publish_at,
    )


@task()
def dispatch_event(event_id: int) -> int:
    return dispatch(event_id)


def dispatch(event_id: int, *, now: datetime.datetime | None = None) -> int:
    """Run every subscriber that has not handled the event yet; returns how many ran now.

    While the event is held, outward subscribers wait: the event stays unhandled (if any
    outward subscriber listens), and the sweep dispatches it again once its publish_at has
    come."""
    event = BusinessEvent.objects.filter(pk=event_id).first()
    if event is None or event.handled_at is not None:
        return 0
    listening = subscribers(event.type)
    waiting = is_held(event, now) and any(subscriber.outward for subscriber in listening)
    if waiting:
        listening = [subscriber for subscriber in listening if not subscriber.outward]
    Delivery.objects.bulk_create(
        [Delivery(event=event, subscriber=subscriber.name) for subscriber in listening],
        ignore_conflicts=True,
    )
    ran, failed = 0, False
    for subscriber in listening:
        try:
            ran += _deliver(event, subscriber)
        except Exception as error:  # noqa: BLE001 — any subscriber failure is noted and retried
            failed = True
            _note_failure(event, subscriber, error)
    if not failed and not waiting:
        BusinessEvent.objects.filter(pk=event.pk, handled_at__isnull=True).update(
            handled_at=timezone.now()
        )
    return ran


def _deliver(event: BusinessEvent, subscriber: Subscriber) -> int:
    with transaction.atomic():
        # The row lock makes a second dispatcher of the same event wait, then see it done.
        delivery = Delivery.objects.select_for_update().get(event=event, subscriber=subscriber.name)
        if delivery.done_at is not None:
            return 0
        subscriber.handle(event)
        delivery.done_at = timezone.now()
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["done_at", "attempts", "last_error"])
    return 1


def _note_failure(event: BusinessEvent, subscriber: Subscriber, error: Exception) -> None:
    logger.exception("subscriber %s failed on event %s", subscriber.name, event.pk)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(event=event, subscriber=subscriber.name)
        delivery.attempts += 1
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        delivery.save(update_fields=["attempts", "last_error"])


def is_held(event: BusinessEvent, now: datetime.datetime | None = None) -> bool:
    return event.publish_at is not None and event.publish_at > (now or timezone.now())


def released(now: datetime.datetime) -> models.Q:
    """Events not held (any more) at `now`."""
    return models.Q(publish_at__isnull=True) | models.Q(publish_at__lte=now)


def sweep(*, now: datetime.datetime | None = None) -> int:
    """Give positions to newly committed (and newly released) events, then dispatch again what
    is still unhandled: a failed subscriber, a dead worker's event, a held event just released."""
    now = now or timezone.now()
    sequence(now=now)
    cutoff = now - SWEEP_GRACE
    pending = (
        BusinessEvent.objects.filter(handled_at__isnull=True, occurred_at__lte=cutoff)
        .filter(released(now))
        .order_by("id")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    return sum(dispatch(pk, now=now) for pk in list(pending))


def sequence(*, limit: int = 1000, now: datetime.datetime | None = None) -> int:
    """Number the committed events that have no position yet, after every numbered one.

    Runs under the cursor's row lock, one sequencer at a time; an event that commits later gets a
    later position, so a reader that has read up to position P never misses one below P. A held
    event is numbered only from its publish_at, after everything numbered before: held events
    are the same to a reader as events that commit at that moment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        cursor, _created = SpineCursor.objects.select_for_update().get_or_create(pk=1)
        pending = list(
            BusinessEvent.objects.filter(position__isnull=True)
            .filter(released(now))
            .order_by("id")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in pending:
            cursor.position += 1
            BusinessEvent.objects.filter(pk=pk).update(position=cursor.position)
        cursor.save(update_fields=["position"])
    return len(pending)
