"""The audit trail's tables: plumbing every layer writes to, knowing no domain."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silahap.audit.queries import AuditEventQuerySet

GENESIS_HASH = "0" * 64


class InsertNumberField(models.PositiveBigIntegerField):
    """A number the database gives at insert and returns with it (see `NextSequence`)."""

    db_returning = True


class NextSequence(models.Expression):
    """The next event number, taken at insert without waiting for any other writer.

    PostgreSQL draws it from its own sequence (never handed out twice, never rolled back, so
    numbers have gaps); SQLite has one writer at a time and follows its own row ids, which never
    go back either, even after a retention prune.
    """

    output_field = models.PositiveBigIntegerField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[()]]:
        if connection.vendor == "postgresql":
            return "nextval('audit_event_sequence')", ()
        return (
            "(SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "
            "'audit_auditevent'), 0), COALESCE((SELECT MAX(sequence) FROM audit_auditevent), 0))"
            " + 1)",
            (),
        )


class AuditEvent(models.Model):
    """Who did or saw what: append-only, and once sealed each row hashes the one before it.

    An event is written in its caller's transaction with only its `sequence` (its number, in the
    order events were recorded); `seal()` later gives it its `position` in the hash chain, in the
    order events were committed, and its `previous_hash` and `hash`. So no writer waits for
    another, and the chain never contains an event that was rolled back.
    """

    sequence = InsertNumberField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # Null until sealed; then set once (PostgreSQL's trigger allows no other change).
    position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 — like hash
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit search and the unusual-access check read one account's events, newest
            # first.
            models.Index(fields=["actor", "sequence"], name="audit_actor_sequence"),
            # The sealer reads only the events still waiting for their place in the chain.
            models.Index(
                fields=["sequence"],
                condition=models.Q(position__isnull=True),
                name="audit_unsealed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="audit_sequence_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    position__isnull=True, previous_hash__isnull=True, hash__isnull=True
                )
                | models.Q(position__gte=1, previous_hash__isnull=False, hash__isnull=False),
                name="audit_sealed_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    @property
    def sealed(self) -> bool:
        return self.position is not None


class AuditChainHead(models.Model):
    """The last sealed link: the single row the sealer locks, so one sealer runs at a time.

    Writers never touch it; only `seal()` does.
    """

    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row")
        ]

    def __str__(self) -> str:
        return f"head #{self.position}"
