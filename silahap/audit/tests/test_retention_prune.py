"""Old audit events leave only through a recorded checkpoint, and the trail still verifies."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.audit.services import CHECKPOINT_ACTION, chain_problems

NOW = datetime.datetime(2031, 6, 1, 3, 0, tzinfo=datetime.UTC)


def events_at(moment: datetime.datetime, count: int, action: str = "test.event") -> list:
    """Events recorded at a moment and, as their commit would, sealed."""
    with time_machine.travel(moment):
        events = [audit.record(action=action, object_id=n) for n in range(count)]
        audit.seal()
    for event in events:
        event.refresh_from_db()
    return events


def prune(*args: str, at: datetime.datetime = NOW) -> str:
    out = StringIO()
    with time_machine.travel(at):
        call_command("retention_prune", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(empty_trail, settings):
    """Three events six years old, two a year old, with the default five-year retention."""
    settings.SILAHAP_RETENTION_AUDIT_DAYS = 5 * 365
    old = events_at(NOW - datetime.timedelta(days=6 * 365), 3, "test.old")
    recent = events_at(NOW - datetime.timedelta(days=365), 2, "test.recent")
    return old, recent


def test_events_past_the_retention_are_deleted_behind_a_checkpoint(trail):
    old, recent = trail
    output = prune()
    assert "pruned 3 audit events #1–#3" in output
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "test.recent",
        "test.recent",
        CHECKPOINT_ACTION,
    ]
    checkpoint = AuditEvent.objects.get(action=CHECKPOINT_ACTION)
    assert checkpoint.summary["count"] == 3
    assert (checkpoint.summary["first_sequence"], checkpoint.summary["last_sequence"]) == (1, 3)
    assert checkpoint.summary["last_hash"] == old[-1].hash
    expected = hashlib.sha256("".join(e.hash for e in old).encode("ascii")).hexdigest()
    assert checkpoint.summary["sha256_of_hashes"] == expected
    assert checkpoint.sequence > recent[-1].sequence
    assert checkpoint.position is None  # sealed once the prune commits
    audit.seal()
    checkpoint.refresh_from_db()
    assert checkpoint.position == recent[-1].position + 1 == 6


def test_the_trail_still_verifies_after_pruning(trail, capsys):
    prune()
    audit.seal()
    call_command("audit_verify")
    assert "intact: 3 events, from #4 after a retention checkpoint" in capsys.readouterr().out


def test_a_second_prune_starts_from_the_first_checkpoint_and_may_prune_it(trail, settings):
    prune()
    settings.SILAHAP_RETENTION_AUDIT_DAYS = 365
    assert "pruned 3 audit events #4–#6" in prune(at=NOW + datetime.timedelta(days=2 * 365))
    audit.seal()
    assert list(AuditEvent.objects.values_list("position", flat=True)) == [7]
    assert chain_problems() is None


def test_a_dry_run_changes_nothing(trail):
    assert "would prune 3 audit events" in prune("--dry-run")
    assert AuditEvent.objects.count() == 5
    assert not AuditEvent.objects.filter(action=CHECKPOINT_ACTION).exists()


def test_nothing_old_enough_leaves_no_checkpoint(empty_trail, settings):
    events_at(NOW - datetime.timedelta(days=10), 2)
    assert "nothing older than" in prune()
    assert AuditEvent.objects.count() == 2


@pytest.fixture
def tampering(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")


def test_a_broken_trail_is_not_pruned(tampering, trail):
    AuditEvent.objects.filter(position=2).update(summary={"changed": True})
    with pytest.raises(CommandError, match="position 2"):
        prune()
    assert AuditEvent.objects.count() == 5


def test_a_changed_checkpoint_breaks_the_chain(tampering, trail):
    prune()
    audit.seal()
    checkpoint = AuditEvent.objects.get(action=CHECKPOINT_ACTION)
    AuditEvent.objects.filter(pk=checkpoint.pk).update(summary={**checkpoint.summary, "count": 1})
    assert chain_problems().position == checkpoint.position


def test_an_event_deleted_after_the_checkpoint_is_still_noticed(tampering, trail):
    prune()
    audit.seal()
    AuditEvent.objects.filter(position=4).delete()
    problem = chain_problems()
    assert problem is not None
    assert problem.position == 4


def test_postgresql_still_refuses_a_plain_delete_after_a_prune(trail):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    prune()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(action="test.recent").delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('silahap.audit_prune', true)")
        assert cursor.fetchone()[0] != "on"
    assert AuditEvent.objects.count() == 3


def test_postgresql_refuses_an_update_even_while_pruning_is_on(trail):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")

    def update_while_pruning():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('silahap.audit_prune', 'on', true)")
        AuditEvent.objects.filter(position=1).update(summary={})

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        update_while_pruning()
    assert timezone.now()  # the trail is untouched below
    assert chain_problems() is None
