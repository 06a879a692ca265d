"""The one way to write to the audit trail, its sealing into the hash chain, and the check that
it is intact.

Recording takes no lock: the event is inserted, unsealed, in the caller's transaction. After
commit `seal()` gives committed events their places in the chain, in the order it finds them
committed, one sealer at a time (it locks the chain head; writers never do). It runs right after
the commit of every transaction that recorded something, unless another sealer is busy, and from
`run_scheduler` every minute (or `manage.py audit_seal`) for whatever that left.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from silahap.audit.context import request_context
from silahap.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent, NextSequence


def canonical_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    """Reduce a summary to plain JSON, so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(summary or {}, default=str, sort_keys=True))


def event_digest(
    *,
    sequence: int,
    position: int,
    occurred_at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict[str, Any],
    purpose: str,
    ip_address: str | None,
    request_id: str,
    previous_hash: str,
) -> str:
    payload: dict[str, Any] = {
        "sequence": sequence,
        "occurred_at": occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "purpose": purpose,
        "ip_address": ip_address,
        "request_id": request_id,
        "previous_hash": previous_hash,
    }
    # Events sealed before sealing moved after commit had one number, their place in the chain;
    # the payload of an event whose two numbers agree is exactly theirs, so their hashes hold.
    if position != sequence:
        payload["position"] = position
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_of(event: AuditEvent, *, position: int | None = None, previous_hash: str = "") -> str:
    """The hash of a sealed event, or the one it gets at `position` after `previous_hash`."""
    if position is None:
        position, previous_hash = event.position, event.previous_hash or ""
    assert position is not None, "an unsealed event has no hash yet"
    return event_digest(
        sequence=event.sequence,
        position=position,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        summary=event.summary,
        purpose=event.purpose,
        ip_address=event.ip_address,
        request_id=event.request_id,
        previous_hash=previous_hash,
    )


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: dict[str, Any] | None = None,
    purpose: str = "",
    seal_after_commit: bool = True,
) -> AuditEvent:
    """Add one event to the trail in the caller's transaction; it is sealed after commit.

    One INSERT, no lock and no savepoint: an event is one row, and a caller outside any
    transaction has it committed at once. `seal_after_commit=False` leaves the event to the
    next sealer (another commit's, or the scheduler's within a minute): a read answered to a
    caller waiting for it, which should not also wait for the chain (a seal on a busy disk took
    ~30 ms, on one API request in eleven).
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    context = request_context()
    actor_id = actor.pk if actor is not None and actor.pk is not None else None
    event = AuditEvent.objects.create(
        sequence=NextSequence(),
        # Truncated to microseconds by every database; hashing the same precision keeps it stable.
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor.get_username() if actor_id is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        summary=canonical_summary(summary),
        purpose=purpose,
        ip_address=context.ip_address,
        request_id=context.request_id,
    )
    if seal_after_commit:
        _seal_after_commit()
    if actor_id is not None:
        for watcher in _watchers.get(action, ()):
            with transaction.atomic():
                watcher(event=event, actor=actor)
    return event


logger = logging.getLogger(__name__)
SEAL_CHUNK = 500


def _seal_after_commit() -> None:
    """Once per transaction: try to seal right after it commits (at once in autocommit)."""
    if not settings.SILAHAP_AUDIT_SEAL_ON_COMMIT:
        return
    connection = transaction.get_connection()
    if any(callback is seal_soon for _, callback, _ in connection.run_on_commit):
        return
    # robust: a committed write never turns into an error because sealing failed; the
    # scheduler's sealer tries again.
    transaction.on_commit(seal_soon, robust=True)


# A process tries at most this often: one attempt seals everything committed so far, and under
# load each attempt would otherwise cost every request a transaction of its own. A seal's lock,
# read and head write are paid once for all it seals (after a run of submits: 5-8 ms for 10
# events, ~20 ms for 80), so once a second rather than four times halves what each submit pays
# for the chain; a quiet process still seals right after each commit, the scheduler within a
# minute.
SEAL_SOON_INTERVAL = 1.0  # seconds
_last_attempt = [float("-inf")]


def seal_soon() -> int:
    """Seal what is committed unless another sealer is at it or this process tried a moment ago
    (the next commit, or the scheduler within a minute, seals the rest): run after each commit
    that recorded an event."""
    now = time.monotonic()
    if now - _last_attempt[0] < SEAL_SOON_INTERVAL:
        return 0
    _last_attempt[0] = now
    return seal(wait=False)


def seal(
    *,
    wait: bool = True,
    chunk: int = SEAL_CHUNK,
    limit: int | None = None,
    on_sealed: Callable[[AuditEvent], None] | None = None,
) -> int:
    """Give committed unsealed events their places in the chain; returns how many it sealed.

    One sealer at a time holds the chain head's row lock; with `wait=False` it leaves at once
    when another sealer holds it (the busy one, or the next, seals what this one would have).
    Each chunk commits with the head, so a sealer killed midway leaves whole chunks sealed and
    the rest unsealed, and the next run goes on from the head: every event is sealed once.
    Events are taken in the order they were recorded among those committed when the chunk is
    read, so an event that commits later is always sealed after every event sealed before it.
    """
    sealed = 0
    while limit is None or sealed < limit:
        size = chunk if limit is None else min(chunk, limit - sealed)
        with transaction.atomic():
            head = _lock_head(wait=wait)
            if head is None:
                return sealed
            pending = list(
                AuditEvent.objects.filter(position__isnull=True).order_by("sequence")[:size]
            )
            for event in pending:
                event.position = head.position + 1
                event.previous_hash = head.hash
                event.hash = digest_of(event, position=event.position, previous_hash=head.hash)
                head.position, head.hash = event.position, event.hash
                if on_sealed is not None:
                    on_sealed(event)
            if pending:
                _write_seals(pending)
                head.save(update_fields=["position", "hash"])
        sealed += len(pending)
        if len(pending) < size:
            break
    return sealed


def _write_seals(events: list[AuditEvent]) -> None:
    """Write a chunk's places and hashes in one UPDATE from a list of values. bulk_update's CASE
    per event and column cost the sealer about a millisecond of Python per event, most of
    the seal that follows a submit's commit; PostgreSQL and SQLite both name a VALUES list's
    columns column1, column2, ..."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    key, position, previous, digest = (
        connection.ops.quote_name(column) for column in ("id", "position", "previous_hash", "hash")
    )
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(events))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {position} = v.column2, {previous} = v.column3, "
            f"{digest} = v.column4 FROM (VALUES {rows}) AS v WHERE {table}.{key} = v.column1",
            [
                value
                for event in events
                for value in (event.pk, event.position, event.previous_hash, event.hash)
            ],
        )


def _lock_head(*, wait: bool) -> AuditChainHead | None:
    head = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is not None:
        return head
    if not wait and AuditChainHead.objects.filter(pk=1).exists():
        return None  # another sealer holds it
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


Watcher = Callable[..., object]
_watchers: dict[str, list[Watcher]] = {}


def watch(action: str, watcher: Watcher) -> None:
    """Have `watcher(event=..., actor=...)` run after each event of `action` by a signed-in actor,
    in the recording transaction: a higher layer's check on what the trail shows (unusual
    access), without this plumbing knowing it."""
    if watcher not in _watchers.setdefault(action, []):
        _watchers[action].append(watcher)


# Written by retention_prune in the same transaction as the deletion it describes.
CHECKPOINT_ACTION = "audit.retention_checkpoint"


def _chain_start() -> tuple[int, str]:
    """Where the chain begins: the genesis, or just after what the latest retention checkpoint
    pruned. The checkpoint is itself a chained event, so changing what it says breaks the chain
    at the checkpoint. (Its `last_sequence` names a chain position: before sealing moved after
    commit, an event's sequence was its position.)"""
    checkpoint = AuditEvent.objects.filter(action=CHECKPOINT_ACTION).order_by("-sequence").first()
    if checkpoint is None:
        return 1, GENESIS_HASH
    return checkpoint.summary["last_sequence"] + 1, checkpoint.summary["last_hash"]


@dataclass(frozen=True)
class ChainProblem:
    """The first thing wrong with the trail: at a chain position, or an event left unsealed."""

    position: int | None
    reason: str
    sequence: int | None = None

    def __str__(self) -> str:
        if self.position is None:
            return f"unsealed audit event #{self.sequence}: {self.reason}"
        return f"audit event at chain position {self.position}: {self.reason}"


def chain_problems(
    events: Iterable[AuditEvent] | None = None, *, now: datetime.datetime | None = None
) -> ChainProblem | None:
    """Walk the chain in order and return the first event that breaks it, or an event left
    unsealed longer than SILAHAP_AUDIT_SEAL_GRACE_MINUTES; None when the trail is intact."""
    expected_position, previous_hash = _chain_start()
    if events is None:
        events = (
            AuditEvent.objects.filter(position__gte=expected_position)
            .order_by("position")
            .iterator(chunk_size=2000)
        )
    for event in events:
        if event.position != expected_position:
            return ChainProblem(
                expected_position,
                f"missing (deleted?); the next event present is at {event.position}",
            )
        if event.previous_hash != previous_hash:
            return ChainProblem(event.position, "does not follow the event before it (reordered?)")
        if digest_of(event) != event.hash:
            return ChainProblem(event.position, "its content no longer matches its hash (changed)")
        expected_position += 1
        previous_hash = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.position != expected_position - 1:
        return ChainProblem(
            expected_position, f"missing (deleted?); the chain head says {head.position} is last"
        )
    if head is not None and head.position and head.hash != previous_hash:
        return ChainProblem(head.position, "does not match the chain head's hash")
    return overdue_unsealed(now=now)


def overdue_unsealed(*, now: datetime.datetime | None = None) -> ChainProblem | None:
    """The oldest event still unsealed SILAHAP_AUDIT_SEAL_GRACE_MINUTES after it was recorded:
    nothing proves it unchanged yet, so a sealer that stopped must be noticed."""
    grace = datetime.timedelta(minutes=settings.SILAHAP_AUDIT_SEAL_GRACE_MINUTES)
    late = (
        AuditEvent.objects.filter(
            position__isnull=True, occurred_at__lt=(now or timezone.now()) - grace
        )
        .order_by("sequence")
        .values_list("sequence", "occurred_at")
        .first()
    )
    if late is None:
        return None
    sequence, occurred_at = late
    return ChainProblem(
        None,
        f"recorded at {occurred_at.isoformat()} and still not sealed into the chain "
        f"(is run_scheduler running? manage.py audit_seal seals it)",
        sequence=sequence,
    )
