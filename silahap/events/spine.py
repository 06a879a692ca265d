"""The event spine: write services record what happened; higher layers subscribe and react.

A write service calls `record()` inside its own transaction, so the event exists exactly when the
write does. After the commit a task worker runs `drain()`: the events no dispatcher has tried
yet, oldest first, a batch at a time; each subscriber handles its events of the batch in a
transaction of its own together with their `Delivery` rows, so its effects land once per event
even if two workers dispatch the same events (a delivery another dispatcher holds is left to it).
A commit wakes one drain, not one job per event: under load a job per event cost the worker more
than the subscribers' own work, and it fell behind (make soak). A subscriber that fails is rolled
back, noted and tried again by `sweep()` (every minute, from `run_scheduler`, one event at a time
with `dispatch()`), which also picks up events whose dispatch never ran because the worker died
between the commit and the drain. Nothing a subscriber does can undo or delay the write that
recorded the event.

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

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from silahap import changes
from silahap.events.models import BusinessEvent, Delivery, SpineCursor
from silahap.events.types import EventType

logger = logging.getLogger(__name__)

Handler = Callable[[BusinessEvent], object]
# Handles several events of one type at once, as `Handler` would one by one (a rollup rebuilt
# once for all the reports a batch touched).
ManyHandler = Callable[[list[BusinessEvent]], object]
# The normal path dispatches right after the commit; the sweep leaves an event this long to it.
SWEEP_GRACE = datetime.timedelta(seconds=30)
SWEEP_LIMIT = 500
# A drain reads this many events at a time, and takes at most DRAIN_LIMIT before it hands over
# to another drain queued behind the worker's other jobs (exports, notifications, webhooks).
DRAIN_BATCH = 100
DRAIN_LIMIT = 1000
# In the shared cache while a drain is queued that has not begun reading: a commit then queues
# none. The drain clears it before it reads, so a commit after that queues the next one. The
# timeout only ends a mark whose drain was never queued (the queue refused it).
WAKE_KEY = "spine:drain-wanted"
# EventType.values builds its list on every call (~0.1 ms): asked on every write that records.
KNOWN_TYPES = frozenset(EventType.values)
WAKE_SECONDS = 60


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_type: str
    handle: Handler
    # Tells the outside world: runs for a held event only once its publish_at has come.
    outward: bool = False
    many: ManyHandler | None = None


_subscribers: dict[str, dict[str, Subscriber]] = {}


def subscribe(
    event_type: str, *, name: str, outward: bool = False, many: ManyHandler | None = None
) -> Callable[[Handler], Handler]:
    """Register the decorated function to handle every event of `event_type`, once each.

    `name` is the subscriber's lasting identity (its deliveries are remembered under it): keep it
    when the function moves, change it only to handle past events again. An `outward` subscriber
    (one that tells systems outside SiLAHAP) hears a held event only from its `publish_at`.
    `many`, if given, does for a list of events what the function does for each (a drain hands
    it a batch); the function alone still handles a retried or a held event.
    """
    if event_type not in KNOWN_TYPES:
        raise ImproperlyConfigured(f"unknown event type {event_type!r}: add it to events.types")

    def register(handle: Handler) -> Handler:
        by_name = _subscribers.setdefault(event_type, {})
        existing = by_name.get(name)
        if existing is not None and existing.handle is not handle:
            raise ImproperlyConfigured(f"two subscribers named {name!r} for {event_type}")
        by_name[name] = Subscriber(
            name=name, event_type=event_type, handle=handle, outward=outward, many=many
        )
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
    if type not in KNOWN_TYPES:
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
    listening = _subscribers.get(type, {}).values()
    if held and any(not s.outward for s in listening):
        # A held event (rare: a national operation) is dispatched alone, as the drain leaves
        # held events to the sweep. robust: a queue that cannot take the job must not turn a
        # committed write into an error; the sweep dispatches the event later.
        transaction.on_commit(partial(dispatch_event.enqueue, event.pk), robust=True)
    elif not held and listening:
        # robust: as above, the sweep dispatches what a failed wake leaves.
        transaction.on_commit(wake, robust=True)
    # With nobody listening there is nothing to run now: the sweep numbers the event for the
    # feed and marks it handled, without a job per write.
    return event


def _shared_cache():
    """The cache every process shares (Redis), or None."""
    return caches["default"] if changes.enabled() else None


def wake() -> None:
    """After a commit that recorded events: queue a drain unless one is queued that has not
    begun reading (it will read what has committed by now). The shared cache keeps that mark;
    without one, the task table says it."""
    cache = _shared_cache()
    if cache is not None:
        if cache.add(WAKE_KEY, 1, WAKE_SECONDS):
            drain_events.enqueue()
        elif getattr(cache, "is_down", False):
            drain_events.enqueue()  # the mark could not be read: better a drain too many
        return
    if not _drain_unclaimed():
        drain_events.enqueue()


# django-tasks' database queue: a worker claims a task (READY → RUNNING) in a transaction that
# commits before the task runs, so a drain still READY after this commit has not begun reading
# and will read this commit's events. One short statement on the queue's partial index of READY
# rows, where queueing a drain per commit wrote a row (and its JSON) for each.
_UNCLAIMED_DRAIN = (
    "SELECT 1 FROM {table} WHERE status = 'READY' AND task_path = %s AND queue_name = %s"
    " AND backend_name = %s LIMIT 1"
)


def _drain_unclaimed() -> bool:
    """Whether a drain waits in the database queue, unclaimed (False for another backend, or
    when the queue cannot be read: better a drain too many)."""
    if not isinstance(drain_events.get_backend(), DatabaseBackend):
        return False
    connection = connections[router.db_for_write(DBTaskResult)]
    sql = _UNCLAIMED_DRAIN.format(table=connection.ops.quote_name(DBTaskResult._meta.db_table))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [drain_events.module_path, drain_events.queue_name, drain_events.backend]
            )
            return cursor.fetchone() is not None
    except DatabaseError:
        logger.warning("the task queue could not be read; queueing a drain", exc_info=True)
        return False


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


@task()
def drain_events() -> int:
    return drain()


def drain(*, batch: int = DRAIN_BATCH, limit: int = DRAIN_LIMIT) -> int:
    """Dispatch the committed events no dispatcher has tried yet, oldest first, `batch` at a
    time, up to `limit`; returns how many events it read. More waiting after `limit` queue the
    next drain. Held events and events a subscriber failed on are the sweep's."""
    cache = _shared_cache()
    if cache is not None:
        cache.delete(WAKE_KEY)  # before reading: a commit from now on queues the next drain
    failed = Delivery.objects.filter(event=OuterRef("pk"), done_at__isnull=True, attempts__gt=0)
    read, after = 0, 0
    while read < limit:
        size = min(batch, limit - read)
        events = list(
            BusinessEvent.objects.filter(
                handled_at__isnull=True, publish_at__isnull=True, pk__gt=after
            )
            .filter(~Exists(failed))
            .order_by("id")[:size]
        )
        if events:
            dispatch_many(events)
            read += len(events)
            after = events[-1].pk
        if len(events) < size:
            return read
    wake()
    return read


def dispatch_many(events: list[BusinessEvent]) -> int:
    """Run every subscriber that has not handled these (unheld) events yet, each subscriber once
    for all its events in one transaction; returns how many deliveries ran now. A delivery that
    another dispatcher holds is left to it."""
    groups: dict[tuple[str, Handler], tuple[Subscriber, list[BusinessEvent]]] = {}
    names: dict[int, set[str]] = {}
    for event in events:
        for subscriber in subscribers(event.type):
            key = (subscriber.name, subscriber.handle)
            groups.setdefault(key, (subscriber, []))[1].append(event)
            names.setdefault(event.pk, set()).add(subscriber.name)
    Delivery.objects.bulk_create(
        [Delivery(event_id=pk, subscriber=name) for pk, owned in names.items() for name in owned],
        ignore_conflicts=True,
    )
    ran = sum(_deliver_many(subscriber, group) for subscriber, group in groups.values())
    ids = [event.pk for event in events]
    open_deliveries = Delivery.objects.filter(event_id__in=ids, done_at__isnull=True)
    unfinished = {
        pk
        for pk, name in open_deliveries.values_list("event_id", "subscriber")
        if name in names.get(pk, ())
    }
    BusinessEvent.objects.filter(
        pk__in=[pk for pk in ids if pk not in unfinished], handled_at__isnull=True
    ).update(handled_at=timezone.now())
    return ran


def _deliver_many(subscriber: Subscriber, events: list[BusinessEvent]) -> int:
    try:
        with transaction.atomic():
            # skip_locked: a delivery another dispatcher holds is being handled; it is left to
            # that one (or, should it fail, to the sweep).
            mine = set(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(
                    event_id__in=[event.pk for event in events],
                    subscriber=subscriber.name,
                    done_at__isnull=True,
                )
                .values_list("event_id", flat=True)
            )
            todo = [event for event in events if event.pk in mine]
            if not todo:
                return 0
            if subscriber.many is not None:
                subscriber.many(todo)
            else:
                for event in todo:
                    subscriber.handle(event)
            Delivery.objects.filter(event_id__in=mine, subscriber=subscriber.name).update(
                done_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
        return len(todo)
    except Exception:  # noqa: BLE001 — one event failed; each alone now, as dispatch() does
        logger.warning("subscriber %s failed on a batch; one event at a time", subscriber.name)
    ran = 0
    for event in events:
        try:
            ran += _deliver(event, subscriber)
        except Exception as error:  # noqa: BLE001 — noted and retried by the sweep
            _note_failure(event, subscriber, error)
    return ran


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


SEQUENCE_CHUNKS = 50


def sequence(*, limit: int = 1000, now: datetime.datetime | None = None) -> int:
    """Number the committed events that have no position yet, after every numbered one.

    Runs under the cursor's row lock, one sequencer at a time; an event that commits later gets a
    later position, so a reader that has read up to position P never misses one below P. A held
    event is numbered only from its publish_at, after everything numbered before: held events
    are the same to a reader as events that commit at that moment.

    `limit` events at a time, each chunk committed with the cursor and written in one UPDATE,
    until none is left: once a minute, a fixed number per call fell behind 20 events a second.
    """
    now = now or timezone.now()
    numbered = 0
    for _chunk in range(SEQUENCE_CHUNKS):
        with transaction.atomic():
            cursor, _created = SpineCursor.objects.select_for_update().get_or_create(pk=1)
            pending = list(
                BusinessEvent.objects.filter(position__isnull=True)
                .filter(released(now))
                .order_by("id")
                .values_list("pk", flat=True)[:limit]
            )
            rows = [
                BusinessEvent(pk=pk, position=cursor.position + offset)
                for offset, pk in enumerate(pending, start=1)
            ]
            BusinessEvent.objects.bulk_update(rows, ["position"], batch_size=limit)
            cursor.position += len(rows)
            cursor.save(update_fields=["position"])
        numbered += len(pending)
        if len(pending) < limit:
            break
    return numbered
