"""Writers of audit events never wait for each other; the sealer places committed events in the
chain in commit order, each once, even when it is killed midway (PostgreSQL: real connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, connections, transaction

from silahap.audit import services as audit
from silahap.audit.models import AuditChainHead, AuditEvent
from silahap.audit.services import chain_problems

WAIT = 15  # seconds before a test gives up on the other thread: a failure, never a pass


@pytest.fixture
def postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are PostgreSQL's; SQLite has one writer")
    # The tests seal by hand, to see each step.
    settings.SILAHAP_AUDIT_SEAL_ON_COMMIT = False


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 — reported by the test's assertion
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_open_transactions_record_events_without_waiting_for_each_other(postgresql):
    first_recorded, second_committed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with transaction.atomic():
            audit.record(action="test.first")
            first_recorded.set()
            # Still open: the second writer must get through meanwhile.
            assert second_committed.wait(WAIT), "the second writer waited for the first"

    def second() -> None:
        assert first_recorded.wait(WAIT)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Waiting for any lock is a failure here, reported rather than waited out.
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            audit.record(action="test.second")
        second_committed.set()

    threads = [in_thread(first, errors), in_thread(second, errors)]
    for thread in threads:
        thread.join(WAIT * 2)
    assert errors == []
    assert AuditEvent.objects.filter(action__in=["test.first", "test.second"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_events_are_sealed_in_commit_order_not_in_the_order_they_were_recorded(postgresql):
    audit.seal()
    start = AuditChainHead.objects.get().position
    early_recorded, may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def early_writer() -> None:
        with transaction.atomic():
            audit.record(action="test.recorded_first")
            early_recorded.set()
            assert may_commit.wait(WAIT)

    thread = in_thread(early_writer, errors)
    assert early_recorded.wait(WAIT)
    audit.record(action="test.committed_first")  # autocommit: committed at once
    assert audit.seal() == 1  # the open transaction's event is not there to seal yet
    may_commit.set()
    thread.join(WAIT)
    assert errors == []
    assert audit.seal() == 1
    assert audit.seal() == 0
    early = AuditEvent.objects.get(action="test.recorded_first")
    late = AuditEvent.objects.get(action="test.committed_first")
    assert early.sequence < late.sequence
    assert (late.position, early.position) == (start + 1, start + 2)
    assert early.previous_hash == late.hash
    assert chain_problems() is None


@pytest.mark.django_db(transaction=True)
def test_a_sealer_whose_connection_is_killed_midway_leaves_each_event_sealed_once(postgresql):
    audit.seal()
    start = AuditChainHead.objects.get().position
    for n in range(5):
        audit.record(action="test.to_seal", object_id=n)
    paused, resume = threading.Event(), threading.Event()
    sealer_pid: list[int] = []
    errors: list[BaseException] = []

    def pause_in_the_second_chunk(event: AuditEvent) -> None:
        if event.position == start + 3:
            paused.set()
            assert resume.wait(WAIT)

    def sealer() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            sealer_pid.append(cursor.fetchone()[0])
        audit.seal(chunk=2, on_sealed=pause_in_the_second_chunk)

    thread = in_thread(sealer, errors)
    assert paused.wait(WAIT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [sealer_pid[0]])
        assert cursor.fetchone()[0] is True
    resume.set()
    thread.join(WAIT)
    assert len(errors) == 1
    assert isinstance(errors[0], OperationalError), errors
    events = AuditEvent.objects.filter(action="test.to_seal").order_by("sequence")
    assert [e.position for e in events] == [start + 1, start + 2, None, None, None]
    kept = {e.pk: e.hash for e in events if e.position is not None}
    assert audit.seal(chunk=2) == 3
    assert audit.seal() == 0
    assert [e.position for e in events.all()] == [start + n for n in range(1, 6)]
    assert {pk: AuditEvent.objects.get(pk=pk).hash for pk in kept} == kept
    assert AuditChainHead.objects.get().position == start + 5
    assert chain_problems() is None


@pytest.mark.django_db(transaction=True)
def test_a_sealer_that_finds_another_at_work_leaves_at_once(postgresql):
    audit.seal()  # the head row exists, as the migration made it in every deployment
    audit.record(action="test.waiting")
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def busy_sealer() -> None:
        with transaction.atomic():
            AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            locked.set()
            assert release.wait(WAIT)

    thread = in_thread(busy_sealer, errors)
    assert locked.wait(WAIT)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        assert audit.seal(wait=False) == 0
    release.set()
    thread.join(WAIT)
    assert errors == []
    assert audit.seal(wait=False) == 1
