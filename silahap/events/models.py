"""The event spine's tables: what happened (written in the write's own transaction) and which
subscriber has handled it (written in the subscriber's transaction, together with its effects)."""

from __future__ import annotations

from django.db import models

from silahap.events.types import EventType


class BusinessEvent(models.Model):
    """One thing that happened, recorded by the write service inside the write's transaction.

    It sits beside the audit event rather than being it: the audit trail also records reads, is
    hash-chained under a lock and pruned by retention, while this is the feed of writes that
    higher layers react to and that the API will publish. `position` is given after commit by one
    sequencing step, so reading by position is reading in commit order (ids are handed out at
    insert, and a later id can commit first). An event held until `publish_at` is numbered at
    the first sequencing after that moment: its position is then after every position a reader
    may already have passed, so a reader still never misses it.
    """

    type = models.CharField(max_length=64, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    # Plumbing knows no domain: the actor, the object and the unit are named, not joined.
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    unit_path = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    # Held from the outside world until this moment (a national operation before its start):
    # numbered for the feed, and told to outward subscribers (webhooks), only from then on.
    publish_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The sweep reads only events some subscriber has not handled yet.
            models.Index(
                fields=["id"], condition=models.Q(handled_at__isnull=True), name="event_unhandled"
            ),
            models.Index(
                fields=["id"], condition=models.Q(position__isnull=True), name="event_unsequenced"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=EventType.values), name="event_type_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_type}:{self.object_id}"


class Delivery(models.Model):
    """One subscriber's handling of one event: done once, with its effects, or retried."""

    event = models.ForeignKey(BusinessEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=120)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} ← {self.event_id}"


class SpineCursor(models.Model):
    """The single row the sequencing step locks, holding the last position it gave."""

    position = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="spine_cursor_single_row")
        ]

    def __str__(self) -> str:
        return f"position {self.position}"
