"""Retention: the audit trail loses its oldest events only through a recorded checkpoint."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent


@dataclass(frozen=True)
class PrunePlan:
    """What a prune removes. Its `*_sequence` fields, like the checkpoint's summary keys, name
    chain positions (an event's place in the chain was its sequence until sealing moved after
    commit; the keys stay so older checkpoints read the same)."""

    cutoff: datetime.datetime
    count: int
    first_sequence: int | None = None
    last_sequence: int | None = None
    first_occurred_at: datetime.datetime | None = None
    last_occurred_at: datetime.datetime | None = None
    last_hash: str = ""
    digest: str = ""


def _plan(cutoff: datetime.datetime) -> PrunePlan:
    """The oldest stretch of the chain, every event of it older than the cutoff."""
    newest_old = (
        AuditEvent.objects.filter(occurred_at__lt=cutoff, position__isnull=False)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    if newest_old is None:
        return PrunePlan(cutoff=cutoff, count=0)
    # A prefix of the chain, so what stays still starts right after the checkpoint's range.
    # Events are placed in the chain in commit order, not by their clocks, so the prefix may take
    # along an event recorded a moment after the cutoff that committed before an older one.
    doomed = AuditEvent.objects.filter(position__lte=newest_old).order_by("position")
    combined = hashlib.sha256()
    count = 0
    first: tuple[int, datetime.datetime] | None = None
    last: tuple[int, datetime.datetime, str] | None = None
    for position, occurred_at, digest in doomed.values_list(
        "position", "occurred_at", "hash"
    ).iterator(chunk_size=5000):
        if position is None or digest is None:  # the filter on position rules it out
            continue
        combined.update(digest.encode("ascii"))
        count += 1
        if first is None:
            first = (position, occurred_at)
        last = (position, occurred_at, digest)
    if first is None or last is None:
        return PrunePlan(cutoff=cutoff, count=0)
    return PrunePlan(
        cutoff=cutoff,
        count=count,
        first_sequence=first[0],
        first_occurred_at=first[1],
        last_sequence=last[0],
        last_occurred_at=last[1],
        last_hash=last[2],
        digest=combined.hexdigest(),
    )


def _cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.SILAHAP_RETENTION_AUDIT_DAYS)


@transaction.atomic
def audit_retention_prune(*, dry_run: bool = False) -> PrunePlan:
    """Delete the events older than the retention period and record a checkpoint that carries
    their count, range and the SHA-256 of their hashes; refuse when the chain is already broken."""
    # Everything committed is placed in the chain first (this holds the chain head until the
    # prune commits, so no sealer extends the chain meanwhile).
    audit.seal()
    problem = audit.chain_problems()
    if problem is not None:
        # Pruning would destroy the evidence of the tampering.
        raise ValidationError(f"audit trail broken at {problem}; nothing pruned")
    plan = _plan(_cutoff())
    if dry_run or plan.count == 0:
        return plan
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger lets a DELETE through only while this is on; it is
            # switched off again right after, not merely at commit, so nothing else in the
            # transaction inherits it.
            cursor.execute("SELECT set_config('silahap.audit_prune', 'on', true)")
        deleted, _ = AuditEvent.objects.filter(position__lte=plan.last_sequence).delete()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('silahap.audit_prune', 'off', true)")
    if deleted != plan.count:
        raise ValidationError("the trail changed while it was being pruned; nothing pruned")
    audit.record(
        action=audit.CHECKPOINT_ACTION,
        summary={
            "count": plan.count,
            "first_sequence": plan.first_sequence,
            "last_sequence": plan.last_sequence,
            "first_occurred_at": plan.first_occurred_at,
            "last_occurred_at": plan.last_occurred_at,
            "last_hash": plan.last_hash,
            "sha256_of_hashes": plan.digest,
            "cutoff": plan.cutoff,
            "retention_days": settings.SILAHAP_RETENTION_AUDIT_DAYS,
        },
    )
    return plan
