"""The one way to write to the audit trail, and the check that it is intact."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from silahap.audit.context import request_context
from silahap.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from silahap.events import spine
from silahap.events.types import EventType


def canonical_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    """Reduce a summary to plain JSON, so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(summary or {}, default=str, sort_keys=True))


def event_digest(
    *,
    sequence: int,
    occurred_at,
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
    payload = {
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_of(event: AuditEvent) -> str:
    return event_digest(
        sequence=event.sequence,
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
        previous_hash=event.previous_hash,
    )


@transaction.atomic
def record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: dict[str, Any] | None = None,
    purpose: str = "",
) -> AuditEvent:
    """Append one event to the trail, chained to the one before it."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    context = request_context()
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    actor_id = actor.pk if actor is not None and actor.pk is not None else None
    fields = {
        "sequence": head.sequence + 1,
        # Truncated to microseconds by every database; hashing the same precision keeps it stable.
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor.get_username() if actor_id is not None else "",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id) if object_id != "" else "",
        "summary": canonical_summary(summary),
        "purpose": purpose,
        "ip_address": context.ip_address,
        "request_id": context.request_id,
        "previous_hash": head.hash,
    }
    digest = event_digest(**fields)
    event = AuditEvent.objects.create(hash=digest, **fields)
    head.sequence = event.sequence
    head.hash = digest
    head.save(update_fields=["sequence", "hash"])
    if action in WATCHED_ACTIONS and actor_id is not None:
        unusual_access_check(actor=actor)
    return event


# Reads of a person's record; many in an hour by one account is what a leak looks like.
WATCHED_ACTIONS = {"person.view"}
UNUSUAL_ACCESS_ACTION = "alert.unusual_access"


def unusual_access_check(*, actor) -> AuditEvent | None:
    """Raise an alert to the actor's leaders, at most once an hour, when the account has viewed
    more person records in the last hour than SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR."""
    from django.conf import settings

    limit = settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = AuditEvent.objects.filter(actor=actor, occurred_at__gte=since)
    viewed = recent.filter(action__in=WATCHED_ACTIONS).values("object_id").distinct().count()
    if viewed <= limit or recent.filter(action=UNUSUAL_ACCESS_ACTION).exists():
        return None
    alert = record(
        action=UNUSUAL_ACCESS_ACTION,
        actor=actor,
        target=actor,
        summary={
            "persons_viewed_last_hour": viewed,
            "limit": limit,
            "leaders": [leader.get_username() for leader in _leaders_of(actor)],
        },
    )
    # The views happen inside a request's transaction: the leaders are told once it commits,
    # by supervision's subscriber in the worker, so a slow mail server never holds up the page.
    spine.record(
        type=EventType.UNUSUAL_ACCESS_DETECTED,
        object_type="audit.auditevent",
        object_id=alert.pk,
        actor_id=actor.pk,
    )
    return alert


def _leaders_of(user) -> list:
    """The nearest current leaders above each unit the user belongs to."""
    from silahap.accounts import access  # accounts imports this module: read at call time

    leaders: dict[int, object] = {}
    for membership in access.current_memberships(user):
        for leader in access.nearest_leaders(membership.unit):
            if leader.pk != user.pk:
                leaders.setdefault(leader.pk, leader)
    return list(leaders.values())


# Written by retention_prune in the same transaction as the deletion it describes.
CHECKPOINT_ACTION = "audit.retention_checkpoint"


def _chain_start() -> tuple[int, str]:
    """Where the trail begins: the genesis, or just after what the latest retention checkpoint
    pruned. The checkpoint is itself a chained event, so changing what it says breaks the chain
    at the checkpoint."""
    checkpoint = AuditEvent.objects.filter(action=CHECKPOINT_ACTION).order_by("-sequence").first()
    if checkpoint is None:
        return 1, GENESIS_HASH
    return checkpoint.summary["last_sequence"] + 1, checkpoint.summary["last_hash"]


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"audit event #{self.sequence}: {self.reason}"


def chain_problems(events: Iterator[AuditEvent] | None = None) -> ChainProblem | None:
    """Walk the trail in order and return the first event that breaks the chain, or None."""
    expected_sequence, previous_hash = _chain_start()
    if events is None:
        events = (
            AuditEvent.objects.filter(sequence__gte=expected_sequence)
            .order_by("sequence")
            .iterator(chunk_size=2000)
        )
    for event in events:
        if event.sequence != expected_sequence:
            return ChainProblem(
                expected_sequence,
                f"missing (deleted?); the next event present is #{event.sequence}",
            )
        if event.previous_hash != previous_hash:
            return ChainProblem(event.sequence, "does not follow the event before it (reordered?)")
        if digest_of(event) != event.hash:
            return ChainProblem(event.sequence, "its content no longer matches its hash (changed)")
        expected_sequence += 1
        previous_hash = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return ChainProblem(
            expected_sequence, f"missing (deleted?); the chain head says #{head.sequence} is last"
        )
    if head is not None and head.sequence and head.hash != previous_hash:
        return ChainProblem(head.sequence, "does not match the chain head's hash")
    return None
