"""The trail's hash chain: sealed after commit, and audit_verify names the first thing wrong."""

import datetime
import decimal
import hashlib
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditChainHead, AuditEvent
from silahap.audit.services import chain_problems


@pytest.fixture
def tampering(db):
    """These tests change the trail on purpose: lift PostgreSQL's append-only trigger for them
    (inside the test's transaction, so it is back for the next test)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")


def make_events(count: int, *, seal: bool = True) -> list[AuditEvent]:
    """Record events and, as the commit of a real request would, seal them."""
    events = [
        audit.record(action="test.event", object_type="test", object_id=n, summary={"n": n})
        for n in range(count)
    ]
    if seal:
        audit.seal()
        for event in events:
            event.refresh_from_db()
    return events


@pytest.mark.django_db
def test_an_event_is_recorded_unsealed_and_sealed_in_order(empty_trail):
    first, second, third = make_events(3, seal=False)
    assert [e.position for e in (first, second, third)] == [None, None, None]
    assert first.hash is None
    assert first.sequence < second.sequence < third.sequence
    assert audit.seal() == 3
    for event in (first, second, third):
        event.refresh_from_db()
    assert [first.position, second.position, third.position] == [1, 2, 3]
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert AuditChainHead.objects.get().hash == third.hash
    assert chain_problems() is None


@pytest.mark.django_db
def test_sealing_twice_seals_nothing_twice(empty_trail):
    first, second = make_events(2)
    assert audit.seal() == 0
    assert list(AuditEvent.objects.values_list("position", "hash")) == [
        (1, first.hash),
        (2, second.hash),
    ]


@pytest.mark.django_db
def test_a_transaction_that_recorded_asks_for_one_seal_after_its_commit(
    empty_trail, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(audit, "_last_attempt", [float("-inf")])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first, second = make_events(2, seal=False)
    assert callbacks == [audit.seal_soon]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 2)
    make_events(1, seal=False)
    # The same process tried a moment ago: the next commit or the scheduler seals it.
    assert audit.seal_soon() == 0
    assert audit.seal() == 1


@pytest.mark.django_db
def test_a_read_may_leave_its_event_to_the_next_sealer(
    empty_trail, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(audit, "_last_attempt", [float("-inf")])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        read = audit.record(action="test.read", object_type="test", seal_after_commit=False)
    assert callbacks == []
    read.refresh_from_db()
    assert read.position is None
    (written,) = make_events(1, seal=False)
    assert audit.seal() == 2
    read.refresh_from_db()
    assert read.position == 1
    assert chain_problems() is None


@pytest.mark.django_db
def test_a_sealer_stopped_midway_leaves_whole_chunks_and_the_next_run_goes_on(empty_trail):
    make_events(5, seal=False)

    def die_at_the_fourth(event):
        if event.position == 4:
            raise RuntimeError("sealer killed")

    with pytest.raises(RuntimeError, match="killed"):
        audit.seal(chunk=2, on_sealed=die_at_the_fourth)
    # The first chunk committed with the head; the second was undone whole.
    assert list(AuditEvent.objects.order_by("sequence").values_list("position", flat=True)) == [
        1,
        2,
        None,
        None,
        None,
    ]
    kept = dict(AuditEvent.objects.filter(position__isnull=False).values_list("pk", "hash"))
    assert AuditChainHead.objects.get().position == len(kept)
    assert audit.seal(chunk=2) == 5 - len(kept)
    assert list(AuditEvent.objects.order_by("sequence").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    for pk, digest in kept.items():
        assert AuditEvent.objects.get(pk=pk).hash == digest
    assert chain_problems() is None


def test_an_event_chained_before_sealing_moved_after_commit_keeps_its_hash():
    """Such an event had one number, its sequence, which the migration made its position."""
    fields = {
        "occurred_at": datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC),
        "actor_id": None,
        "actor_label": "",
        "action": "auth.login_failed",
        "object_type": "",
        "object_id": "",
        "summary": {"username": "x"},
        "purpose": "",
        "ip_address": None,
        "request_id": "r1",
        "previous_hash": audit.GENESIS_HASH,
    }
    before = {**fields, "sequence": 5, "occurred_at": "2026-11-01T03:00:00.000000Z"}
    canonical = json.dumps(before, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert audit.event_digest(sequence=5, position=5, **fields) == (
        hashlib.sha256(canonical.encode()).hexdigest()
    )
    # Once the two numbers differ both are hashed: neither can be changed to match the other.
    assert audit.event_digest(sequence=5, position=6, **fields) != audit.event_digest(
        sequence=6, position=6, **fields
    )
    assert audit.event_digest(sequence=5, position=6, **fields) != audit.event_digest(
        sequence=5, position=5, **fields
    )


@pytest.mark.django_db
def test_verify_passes_on_an_intact_trail(empty_trail, capsys):
    make_events(5)
    call_command("audit_verify")
    assert "intact: 5 events" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_passes_with_events_waiting_for_their_seal(empty_trail, capsys):
    make_events(3)
    make_events(2, seal=False)
    call_command("audit_verify")
    assert "intact: 5 events (2 waiting to be sealed" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_fails_on_an_event_left_unsealed_too_long(empty_trail, settings):
    settings.SILAHAP_AUDIT_SEAL_GRACE_MINUTES = 10
    make_events(2)
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=11)):
        (late,) = make_events(1, seal=False)
    make_events(1, seal=False)  # recorded just now: still within the grace
    with pytest.raises(CommandError, match=rf"unsealed audit event #{late.sequence}: recorded"):
        call_command("audit_verify")
    audit.seal()
    assert chain_problems() is None


@pytest.mark.django_db
def test_verify_names_a_changed_event(tampering, empty_trail):
    make_events(5)
    AuditEvent.objects.filter(position=3).update(summary={"n": 999})
    with pytest.raises(CommandError, match=r"position 3: its content no longer matches"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verify_names_a_changed_actor_label(tampering, empty_trail):
    make_events(3)
    AuditEvent.objects.filter(position=2).update(actor_label="someone-else")
    assert chain_problems().position == 2


@pytest.mark.django_db
def test_verify_names_a_changed_sequence(tampering, empty_trail):
    make_events(3)
    AuditEvent.objects.filter(position=2).update(sequence=10_000_000)
    assert chain_problems().position == 2


@pytest.mark.django_db
def test_verify_names_a_deleted_event(tampering, empty_trail):
    make_events(5)
    AuditEvent.objects.filter(position=2).delete()
    with pytest.raises(CommandError, match=r"position 2: missing"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verify_notices_the_last_event_deleted(tampering, empty_trail):
    make_events(4)
    AuditEvent.objects.filter(position=4).delete()
    problem = chain_problems()
    assert problem is not None
    assert problem.position == 4


@pytest.mark.django_db
def test_verify_names_reordered_events(tampering, empty_trail):
    make_events(5)
    AuditEvent.objects.filter(position=2).update(position=100)
    AuditEvent.objects.filter(position=3).update(position=2)
    AuditEvent.objects.filter(position=100).update(position=3)
    with pytest.raises(CommandError, match=r"position 2: does not follow"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_record_keeps_no_values_json_cannot_hold():
    event = audit.record(
        action="test.types",
        summary={"when": datetime.date(2026, 1, 2), "amount": decimal.Decimal("1.50")},
    )
    audit.seal()
    event.refresh_from_db()
    assert event.summary == {"amount": "1.50", "when": "2026-01-02"}
    assert chain_problems() is None


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the append-only trigger is PostgreSQL's; SQLite deployments rely on audit_verify"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["update", "delete", "reseal"])
def test_postgresql_refuses_to_change_or_delete_a_sealed_event(change, empty_trail):
    postgresql_only()
    make_events(2)
    rows = AuditEvent.objects.filter(position=1)
    tamper = {
        "update": lambda: rows.update(summary={"n": 999}),
        "delete": rows.delete,
        "reseal": lambda: rows.update(position=7, hash="f" * 64),
    }[change]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper()
    assert chain_problems() is None


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["content", "content_while_sealing", "delete"])
def test_postgresql_lets_an_unsealed_event_only_be_sealed(change, empty_trail):
    postgresql_only()
    (event,) = make_events(1, seal=False)
    rows = AuditEvent.objects.filter(pk=event.pk)
    tamper = {
        "content": lambda: rows.update(action="test.other"),
        "content_while_sealing": lambda: rows.update(
            position=1, previous_hash=audit.GENESIS_HASH, hash="f" * 64, action="test.other"
        ),
        "delete": rows.delete,
    }[change]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper()
    assert audit.seal() == 1
    assert chain_problems() is None
