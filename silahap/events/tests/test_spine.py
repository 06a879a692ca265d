"""The event spine: an event exists exactly when its write does, each subscriber handles it once
(even when a worker dies between the commit and the dispatch, or two workers race), and a failing
subscriber never undoes the write."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silahap.events import spine
from silahap.events.models import BusinessEvent, Delivery
from silahap.events.types import EventType
from silahap.testing.worker import run_queued

TYPE = EventType.IMPORT_FINISHED
pytestmark = pytest.mark.usefixtures("only_these_subscribers")


@pytest.fixture
def heard():
    """A subscriber registered the way a higher layer does, without touching the lower one."""
    calls: list[int] = []

    def handle(event):
        calls.append(event.pk)

    spine.subscribe(TYPE, name="test.heard")(handle)
    yield calls
    spine.unsubscribe(TYPE, name="test.heard")


@pytest.fixture
def broken():
    state = {"fail": True, "calls": 0}

    def handle(event):
        state["calls"] += 1
        BusinessEvent.objects.filter(pk=event.pk).update(payload={"touched": True})
        if state["fail"]:
            raise RuntimeError("receiver down")

    spine.subscribe(TYPE, name="test.broken")(handle)
    yield state
    spine.unsubscribe(TYPE, name="test.broken")


def record(n: int = 1) -> BusinessEvent:
    return spine.record(type=TYPE, object_type="test.thing", object_id=n, payload={"n": n})


def later(minutes: int = 5) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_subscribers_run_after_the_commit_once_each(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record()
        assert heard == []  # nothing runs inside the write's transaction
    assert run_queued() == 1
    assert heard == [event.pk]
    assert spine.dispatch(event.pk) == 0
    assert spine.sweep(now=later()) == 0
    assert heard == [event.pk]
    event.refresh_from_db()
    assert event.handled_at is not None
    assert Delivery.objects.get(event=event, subscriber="test.heard").done_at is not None


@pytest.mark.django_db
def test_an_event_rolled_back_with_its_write_is_never_heard(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                record()
                raise ValueError("the write fails")
        except ValueError:
            pass
    assert callbacks == []
    assert BusinessEvent.objects.count() == 0
    assert heard == []


@pytest.mark.django_db
def test_a_worker_that_died_before_dispatching_is_made_good_by_the_sweep(heard):
    # The commit happened; the process died before its on-commit dispatch was queued or run.
    event = record()
    assert DBTaskResult.objects.count() == 0
    assert spine.sweep(now=timezone.now()) == 0  # within the grace the normal path may still run
    assert spine.sweep(now=later()) == 1
    assert spine.sweep(now=later(10)) == 0
    assert spine.dispatch(event.pk) == 0  # the original dispatch, arriving late
    assert heard == [event.pk]


@pytest.mark.django_db
def test_a_worker_killed_inside_a_subscriber_leaves_it_to_be_done_once(heard):
    event = record()
    killed = {"done": False}

    def dies_once(event):
        if not killed["done"]:
            killed["done"] = True
            raise SystemExit("worker killed")
        heard.append(-event.pk)

    spine.subscribe(TYPE, name="test.dies")(dies_once)
    try:
        with pytest.raises(SystemExit):
            spine.dispatch(event.pk)
        delivery = Delivery.objects.get(event=event, subscriber="test.dies")
        assert delivery.done_at is None
        assert spine.sweep(now=later()) >= 1
        assert spine.sweep(now=later(10)) == 0
    finally:
        spine.unsubscribe(TYPE, name="test.dies")
    assert heard.count(-event.pk) == 1
    assert heard.count(event.pk) == 1


@pytest.mark.django_db
def test_a_failing_subscriber_is_rolled_back_retried_and_blocks_no_other(heard, broken):
    event = record()
    assert spine.dispatch(event.pk) == 1  # heard ran; broken failed
    event.refresh_from_db()
    assert event.payload == {"n": 1}  # the failing subscriber's own write was undone
    assert event.handled_at is None
    delivery = Delivery.objects.get(event=event, subscriber="test.broken")
    assert (delivery.done_at, delivery.attempts) == (None, 1)
    assert "receiver down" in delivery.last_error
    assert spine.sweep(now=later()) == 0  # still failing
    broken["fail"] = False
    assert spine.sweep(now=later(2)) == 1
    event.refresh_from_db()
    assert event.payload == {"touched": True}
    assert event.handled_at is not None
    assert heard == [event.pk]
    assert broken["calls"] == 3


@pytest.mark.django_db
def test_a_failing_subscriber_does_not_undo_the_write(broken, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record()
    run_queued()
    assert BusinessEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_positions_follow_the_order_events_became_visible():
    first, second = record(1), record(2)
    assert spine.sequence() == 2
    third = record(3)
    assert spine.sequence() == 1
    assert spine.sequence() == 0
    positions = [
        BusinessEvent.objects.get(pk=event.pk).position for event in (first, second, third)
    ]
    assert positions == sorted(positions)
    assert len(set(positions)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("count", [4, 11])
def test_positions_are_given_a_chunk_at_a_time_until_none_is_left(
    count, django_assert_max_num_queries
):
    events = [record(n) for n in range(count)]
    # Per chunk of 5 (in its savepoint here): the cursor locked, the events read, one UPDATE,
    # the cursor saved; and once the cursor's first creation.
    with django_assert_max_num_queries(6 * (count // 5 + 1) + 3):
        assert spine.sequence(limit=5) == count
    positions = list(
        BusinessEvent.objects.filter(pk__in=[event.pk for event in events])
        .order_by("id")
        .values_list("position", flat=True)
    )
    assert positions == sorted(positions)
    assert len(set(positions)) == count
    assert None not in positions
    assert spine.sequence(limit=5) == 0


@pytest.mark.django_db
def test_a_held_event_is_numbered_after_everything_read_before_its_release(
    heard, django_capture_on_commit_callbacks
):
    told: list[int] = []
    spine.subscribe(TYPE, name="test.told", outward=True)(lambda event: told.append(event.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            held = spine.record(
                type=TYPE, object_type="test.thing", object_id=1, publish_at=later(60)
            )
        # Inside SiLAHAP it is heard at once; outward, and in the feed's order, not yet.
        assert run_queued() == 1
        assert heard == [held.pk]
        assert told == []
        after = record(2)
        # The event recorded after it is numbered and heard by both; the held one waits.
        assert spine.sweep(now=later(10)) == 2
        assert told == [after.pk]
        held.refresh_from_db()
        after.refresh_from_db()
        assert held.position is None
        assert held.handled_at is None
        assert after.position is not None
        # From its publish_at the sweep numbers it after every position given meanwhile and
        # tells the outward subscriber, once; the inside one is not run again.
        assert spine.sweep(now=later(61)) == 1
        assert spine.sweep(now=later(62)) == 0
        held.refresh_from_db()
        assert held.position > after.position
        assert held.handled_at is not None
        assert told == [after.pk, held.pk]
        assert heard == [held.pk, after.pk]
    finally:
        spine.unsubscribe(TYPE, name="test.told")


@pytest.mark.django_db
def test_a_held_event_nobody_outside_hears_is_handled_at_once(heard):
    held = spine.record(type=TYPE, object_type="test.thing", object_id=1, publish_at=later(60))
    assert spine.dispatch(held.pk) == 1
    held.refresh_from_db()
    assert held.handled_at is not None
    assert held.position is None
    assert spine.sequence() == 0


@pytest.mark.django_db
def test_a_moment_already_past_holds_nothing():
    event = spine.record(type=TYPE, object_type="test.thing", object_id=1, publish_at=later(-1))
    assert event.publish_at is None
    assert spine.sequence() == 1


@pytest.mark.django_db
def test_unknown_event_types_are_refused():
    with pytest.raises(ValueError, match="unknown event type"):
        spine.record(type="report.eaten", object_type="x", object_id=1)
    with pytest.raises(ImproperlyConfigured):
        spine.subscribe("report.eaten", name="x")


def test_two_subscribers_cannot_share_a_name():
    spine.subscribe(TYPE, name="test.twice")(print)
    try:
        with pytest.raises(ImproperlyConfigured):
            spine.subscribe(TYPE, name="test.twice")(repr)
    finally:
        spine.unsubscribe(TYPE, name="test.twice")


@pytest.mark.django_db(transaction=True)
def test_two_workers_dispatching_one_event_at_once_handle_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are a PostgreSQL check; SQLite has one writer")
    calls: list[int] = []
    lock = threading.Lock()

    def slow(event):
        with lock:
            calls.append(event.pk)

    spine.subscribe(TYPE, name="test.slow")(slow)
    try:
        event = record()
        start = threading.Barrier(4)

        def work():
            try:
                start.wait()
                spine.dispatch(event.pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        spine.unsubscribe(TYPE, name="test.slow")
    assert calls == [event.pk]
    assert Delivery.objects.get(event=event, subscriber="test.slow").attempts == 1
