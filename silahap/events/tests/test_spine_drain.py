"""The spine's drain: a commit wakes one drain, which dispatches every event no dispatcher has
tried yet, a batch at a time, each subscriber once per batch; a failing event holds back no
other, held and failed events stay the sweep's, and a delivery another dispatcher holds is
left to it. Under load a job per event cost the worker more than the subscribers' work (make
soak): the drain's queries do not grow with the number of events."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silahap.events import spine
from silahap.events.models import BusinessEvent, Delivery
from silahap.events.types import EventType
from silahap.testing.external import shared_redis_cache
from silahap.testing.worker import run_queued

TYPE = EventType.IMPORT_FINISHED
pytestmark = pytest.mark.usefixtures("only_these_subscribers")
DRAIN = "silahap.events.spine.drain_events"


@pytest.fixture
def heard():
    calls: list[int] = []
    spine.subscribe(TYPE, name="test.heard")(lambda event: calls.append(event.pk))
    yield calls
    spine.unsubscribe(TYPE, name="test.heard")


@pytest.fixture
def batches():
    """A subscriber that handles a batch at once (as the rollups do), and one by one alone."""
    seen: list[list[int]] = []

    def one(event):
        seen.append([event.pk])

    def many(events):
        seen.append([event.pk for event in events])

    spine.subscribe(TYPE, name="test.batches", many=many)(one)
    yield seen
    spine.unsubscribe(TYPE, name="test.batches")


def record(n: int = 1, **more) -> BusinessEvent:
    return spine.record(type=TYPE, object_type="test.thing", object_id=n, payload={"n": n}, **more)


def later(minutes: int = 5) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def drains_queued() -> int:
    return DBTaskResult.objects.filter(task_path=DRAIN, status="READY").count()


@pytest.mark.django_db
def test_a_commit_queues_a_drain_that_hears_every_event_once(
    heard, batches, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events = [record(n) for n in range(3)]
        assert drains_queued() == 0  # nothing is queued inside the write's transaction
    assert drains_queued() == 1  # the first wake queues it; the others see it unclaimed
    assert run_queued() == 1
    ids = [event.pk for event in events]
    assert heard == ids
    assert batches == [ids]  # the batch subscriber, once for the three
    assert spine.drain() == 0
    assert spine.sweep(now=later()) == 0
    assert heard == ids
    assert BusinessEvent.objects.filter(pk__in=ids, handled_at__isnull=True).count() == 0
    assert Delivery.objects.filter(event_id__in=ids, done_at__isnull=True).count() == 0
    assert set(Delivery.objects.filter(event_id__in=ids).values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 60])
def test_a_drain_asks_the_same_few_queries_for_5_events_as_for_60(
    count, heard, batches, django_assert_max_num_queries
):
    ids = [record(n).pk for n in range(count)]
    # Read, deliveries made, per subscriber lock and done, what is left, handled, read again.
    with django_assert_max_num_queries(12):
        assert spine.drain() == count
    assert heard == ids
    assert batches == [ids]


@pytest.mark.django_db
def test_a_drain_reads_a_batch_at_a_time_and_hands_over_at_its_limit(heard, batches):
    ids = [record(n).pk for n in range(7)]
    assert spine.drain(batch=3, limit=5) == 5
    assert batches == [ids[:3], ids[3:5]]
    assert drains_queued() == 1  # the next drain, queued behind the worker's other jobs
    assert run_queued() == 1
    assert batches[-1] == ids[5:]
    assert heard == ids


@pytest.mark.django_db
def test_a_failing_event_holds_back_no_other_and_is_retried_by_the_sweep(heard):
    state = {"fail": True}

    def touchy(event):
        BusinessEvent.objects.filter(pk=event.pk).update(payload={"touched": True})
        if state["fail"] and event.payload["n"] == 1:
            raise RuntimeError("receiver down")

    spine.subscribe(TYPE, name="test.touchy", many=lambda events: [touchy(e) for e in events])(
        touchy
    )
    try:
        first, failing, third = record(0), record(1), record(2)
        assert spine.drain() == 3
        assert heard == [first.pk, failing.pk, third.pk]
        touched = dict(BusinessEvent.objects.values_list("pk", "payload"))
        # The batch was rolled back, then each alone: the failing one's own write undone.
        assert touched[first.pk] == touched[third.pk] == {"touched": True}
        assert touched[failing.pk] == {"n": 1}
        delivery = Delivery.objects.get(event=failing, subscriber="test.touchy")
        assert (delivery.done_at, delivery.attempts) == (None, 1)
        assert "receiver down" in delivery.last_error
        assert BusinessEvent.objects.get(pk=failing.pk).handled_at is None
        assert BusinessEvent.objects.get(pk=third.pk).handled_at is not None
        assert spine.drain() == 0  # a failed event is the sweep's, not every drain's
        state["fail"] = False
        assert spine.sweep(now=later()) == 1
        assert BusinessEvent.objects.get(pk=failing.pk).handled_at is not None
        assert Delivery.objects.get(event=failing, subscriber="test.touchy").attempts == 2
    finally:
        spine.unsubscribe(TYPE, name="test.touchy")
    assert heard == [first.pk, failing.pk, third.pk]


@pytest.mark.django_db
def test_a_drain_leaves_held_events_to_the_sweep(heard, django_capture_on_commit_callbacks):
    told: list[int] = []
    spine.subscribe(TYPE, name="test.told", outward=True)(lambda event: told.append(event.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            held = record(1, publish_at=later(60))
        assert drains_queued() == 0  # a held event is dispatched alone
        assert run_queued() == 1
        assert heard == [held.pk]
        assert spine.drain() == 0
        assert told == []
        assert spine.sweep(now=later(61)) == 1
        assert told == [held.pk]
    finally:
        spine.unsubscribe(TYPE, name="test.told")


@pytest.mark.django_db
def test_with_a_shared_cache_a_commit_queues_a_drain_only_when_none_waits_to_read(
    heard, django_capture_on_commit_callbacks
):
    with shared_redis_cache() as config, override_settings(CACHES=config):
        for n in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                record(n)
        assert drains_queued() == 1
        assert spine.drain() == 3  # it clears the mark before it reads
        with django_capture_on_commit_callbacks(execute=True):
            record(3)
        assert drains_queued() == 2  # so the next commit queues the next drain
    assert len(heard) == 3


@pytest.mark.django_db
def test_without_a_shared_cache_a_commit_queues_a_drain_only_when_none_waits_unclaimed(
    heard, django_capture_on_commit_callbacks
):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            record(n)
    assert drains_queued() == 1
    # A worker claims it (READY -> RUNNING, committed before the drain reads): a commit from
    # then on may come after its read, so it queues the next drain.
    claimed = DBTaskResult.objects.filter(task_path=DRAIN, status="READY")
    assert claimed.update(status="RUNNING") == 1
    with django_capture_on_commit_callbacks(execute=True):
        record(3)
    assert drains_queued() == 1
    # Another task waiting, or a drain on another queue, is not this queue's drain.
    DBTaskResult.objects.filter(task_path=DRAIN, status="READY").update(queue_name="elsewhere")
    with django_capture_on_commit_callbacks(execute=True):
        record(4)
    assert (
        DBTaskResult.objects.filter(task_path=DRAIN, status="READY", queue_name="default").count()
        == 1
    )
    assert spine.drain() == 5
    assert len(heard) == 5
    assert heard == sorted(heard)


@pytest.mark.django_db(transaction=True)
def test_a_delivery_another_dispatcher_holds_is_left_to_it():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are a PostgreSQL check; SQLite has one writer")
    calls: list[int] = []
    spine.subscribe(TYPE, name="test.slow")(lambda event: calls.append(event.pk))
    try:
        held_one, free_one = record(1), record(2)
        Delivery.objects.bulk_create(
            [Delivery(event=event, subscriber="test.slow") for event in (held_one, free_one)]
        )
        locked, release = threading.Event(), threading.Event()

        def other_dispatcher():
            try:
                with transaction.atomic():
                    Delivery.objects.select_for_update().get(event=held_one)
                    locked.set()
                    release.wait(10)
            finally:
                connections.close_all()

        thread = threading.Thread(target=other_dispatcher)
        thread.start()
        assert locked.wait(10)
        try:
            assert spine.drain() == 2  # it read both, waited for neither
        finally:
            release.set()
            thread.join()
        assert calls == [free_one.pk]
        assert BusinessEvent.objects.get(pk=held_one.pk).handled_at is None
        assert BusinessEvent.objects.get(pk=free_one.pk).handled_at is not None
        # The other let go without finishing (it died): the next drain does it, once.
        assert spine.drain() == 1
        assert calls == [free_one.pk, held_one.pk]
        assert Delivery.objects.get(event=held_one).attempts == 1
    finally:
        spine.unsubscribe(TYPE, name="test.slow")
