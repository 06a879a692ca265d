"""A leader's direction (arahan) and, per recipient, its delivery, reading and carrying out."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.idempotency.models import IdempotentModel, once_per_key


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class AboutKind(models.TextChoices):
    """What a direction may be about, each the label of a model read through its visible_to."""

    REPORT = "reports.dailyreport", _("Daily report")
    ACTIVITY = "reports.activity", _("Activity")
    PLACE = "registry.place", _("Place")
    PERSON = "registry.foreignnational", _("Foreign national")
    FOLLOWUP = "supervision.followup", _("Follow-up")
    OPERATION = "operations.operation", _("Operation")


def attachment_path(direction: Direction, filename: str) -> str:
    return f"guidance/directions/{direction.attachment_key.hex}"


class DirectionQuerySet(models.QuerySet["Direction"]):
    def visible_to(self, user) -> DirectionQuerySet:
        """Its sender, its recipients, and leaders and analysts of its unit or above."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if access.is_partner(user):
            return self.none()
        return self.filter(
            models.Q(created_by=user)
            | models.Q(pk__in=DirectionRecipient.objects.filter(user=user).values("direction_id"))
            | access.subtree_q(access.supervised_units(user))
        )


class Direction(IdempotentModel):
    """An instruction from a leader to people, teams or units of their subtree."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("from unit")
    )
    body = models.TextField(_("direction"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    action_required = models.BooleanField(_("asks for action"), default=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Who it was addressed to, as written (unit and user ids); the recipients are resolved once.
    addressed = models.JSONField(default=dict, blank=True)
    about_type = models.CharField(max_length=40, choices=AboutKind.choices, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    attachment_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attachment = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    attachment_content_type = models.CharField(max_length=50, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    sent_on = models.DateField(_("sent on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DirectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="direction_has_text"),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values), name="direction_priority_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(about_type="", about_id__isnull=True)
                | (~models.Q(about_type="") & models.Q(about_id__isnull=False)),
                name="direction_about_has_kind_and_id",
            ),
            once_per_key("created_by", name="direction_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("guidance:direction_detail", args=[self.pk])

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT


class DirectionRecipientQuerySet(models.QuerySet):
    def unread(self) -> DirectionRecipientQuerySet:
        return self.filter(read_at__isnull=True)


class DirectionRecipient(models.Model):
    """One person a direction reached; their reading and carrying out, each given once."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="directions_received"
    )
    delivered_at = models.DateTimeField(_("delivered"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.TextField(_("note"), blank=True)
    done_activity = models.ForeignKey(
        "reports.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    objects = DirectionRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "user__username"]
        verbose_name = _("direction recipient")
        verbose_name_plural = _("direction recipients")
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["direction", "user"], name="direction_recipient_once"),
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True) | models.Q(read_at__isnull=False),
                name="direction_done_after_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction_id} → {self.user}"


class DirectionNote(IdempotentModel):
    """A later note of a recipient (a correction): answers given are never changed."""

    recipient = models.ForeignKey(
        DirectionRecipient, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("direction note")
        verbose_name_plural = _("direction notes")
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="direction_note_has_text"),
            once_per_key("author", name="direction_note_once_per_key"),
        ]
