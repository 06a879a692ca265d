import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

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


def make_events(count: int) -> list[AuditEvent]:
    return [
        audit.record(action="test.event", object_type="test", object_id=n, summary={"n": n})
        for n in range(count)
    ]


@pytest.mark.django_db
def test_each_event_chains_to_the_one_before(empty_trail):
    first, second, third = make_events(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert AuditChainHead.objects.get().hash == third.hash
    assert chain_problems() is None


@pytest.mark.django_db
def test_verify_passes_on_an_intact_trail(empty_trail, capsys):
    make_events(5)
    call_command("audit_verify")
    assert "intact: 5 events" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_names_a_changed_event(tampering):
    make_events(5)
    AuditEvent.objects.filter(sequence=3).update(summary={"n": 999})
    with pytest.raises(CommandError, match=r"#3: its content no longer matches"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verify_names_a_changed_actor_label(tampering):
    make_events(3)
    AuditEvent.objects.filter(sequence=2).update(actor_label="someone-else")
    assert chain_problems().sequence == 2


@pytest.mark.django_db
def test_verify_names_a_deleted_event(tampering):
    make_events(5)
    AuditEvent.objects.filter(sequence=2).delete()
    with pytest.raises(CommandError, match=r"#2: missing"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verify_notices_the_last_event_deleted(tampering):
    make_events(4)
    AuditEvent.objects.filter(sequence=4).delete()
    problem = chain_problems()
    assert problem is not None
    assert problem.sequence == 4


@pytest.mark.django_db
def test_verify_names_reordered_events(tampering):
    make_events(5)
    AuditEvent.objects.filter(sequence=2).update(sequence=100)
    AuditEvent.objects.filter(sequence=3).update(sequence=2)
    AuditEvent.objects.filter(sequence=100).update(sequence=3)
    with pytest.raises(CommandError, match=r"#2: does not follow"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_record_keeps_no_values_json_cannot_hold():
    import datetime
    import decimal

    event = audit.record(
        action="test.types",
        summary={"when": datetime.date(2026, 1, 2), "amount": decimal.Decimal("1.50")},
    )
    event.refresh_from_db()
    assert event.summary == {"amount": "1.50", "when": "2026-01-02"}
    assert chain_problems() is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_an_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are a PostgreSQL check; SQLite has one writer")
    writers, per_writer = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                audit.record(action="test.concurrent", object_id=f"{worker}-{n}")
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == writers * per_writer
    assert chain_problems() is None


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["update", "delete"])
def test_postgresql_refuses_to_change_or_delete_an_event(change):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the append-only trigger is PostgreSQL's; SQLite deployments rely on audit_verify"
        )
    from django.db import DatabaseError, transaction

    make_events(2)
    rows = AuditEvent.objects.filter(sequence=1)
    tamper = (lambda: rows.update(summary={"n": 999})) if change == "update" else rows.delete
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper()
    assert chain_problems() is None
