"""Operations (independent, joint Timpora, national), their teams, targets and results' links."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import Agency, OrgUnit
from silahap.idempotency.models import IdempotentModel, once_per_key
from silahap.operations import visibility
from silahap.operations.models.teams import Team
from silahap.registry.models import Place, Regency
from silahap.reports.models import Activity
from silahap.supervision.models import Warrant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OperationKind(models.TextChoices):
    INDEPENDENT = "independent", _("Independent operation")
    JOINT_TIMPORA = "joint_timpora", _("Joint Timpora operation")
    NATIONAL = "national", _("National synchronised operation")
    PATROL = "patrol", _("Patrol")
    COMPLAINT = "complaint", _("Complaint follow-up")


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    REPORTED = "reported", _("Reported")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# An approved operation is running from its start without anyone pressing a button: the stored
# status catches up through the scheduler (operation_start_due), every read uses this instead.
LIVE = (OperationStatus.APPROVED, OperationStatus.RUNNING)


class OperationQuerySet(models.QuerySet):
    def visible_to(self, user, now: datetime.datetime | None = None) -> OperationQuerySet:
        """Supervisors: their subtree (and the national operation above it); members: theirs,
        a national one only from its start; partner members: only theirs (issue 16 §5–6).
        The same as visibility.may_read_operation, one object at a time."""
        return self.filter(self._visible_q(user, now))

    @staticmethod
    def _visible_q(user, now: datetime.datetime | None) -> models.Q:
        nothing = models.Q(pk__in=[])
        if user is None or not user.is_authenticated or not user.is_active:
            return nothing
        if user.is_superuser:
            return models.Q()
        now = now or timezone.now()
        member = models.Q(pk__in=OperationMember.objects.filter(user=user).values("operation_id"))
        if access.is_partner(user):
            in_force = visibility.partner_in_force(user)
            return member & visibility.open_q(now) if in_force else nothing
        if not access.is_immigration_staff(user):
            return nothing
        supervised = access.supervised_units(user)
        query = member & visibility.open_q(now)
        if supervised:
            below = access.subtree_q(supervised)
            query |= below
            # The national operation above an office's child: its leaders plan under it.
            query |= models.Q(
                pk__in=Operation.objects.filter(below, parent__isnull=False).values("parent_id")
            )
        return query

    def running(self, now: datetime.datetime | None = None) -> OperationQuerySet:
        now = now or timezone.now()
        return self.filter(status__in=LIVE, starts_at__lte=now, ends_at__gt=now)

    def national_roots(self) -> OperationQuerySet:
        return self.filter(kind=OperationKind.NATIONAL, parent__isnull=True)


class Operation(IdempotentModel):
    """An operation: planned, approved by the head of the leading office, run, reported."""

    Kind = OperationKind
    Status = OperationStatus

    kind = models.CharField(_("kind"), max_length=16, choices=OperationKind.choices)
    number = models.CharField(_("operation number"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="operations", verbose_name=_("leading unit")
    )
    # A national operation's per-office child points at it; the parent has no office of its own.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
        verbose_name=_("standing team"),
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area (regency/city)"),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    target_count = models.PositiveIntegerField(_("locations to visit"), null=True, blank=True)
    warrants = models.ManyToManyField(
        Warrant, blank=True, related_name="operations", verbose_name=_("warrants")
    )
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="operations", verbose_name=_("participating agencies")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OperationStatus.choices, default="planned"
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OperationKind.values), name="operation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OperationStatus.values),
                name="operation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="operation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["postponed", "cancelled"])
                | ~models.Q(status_reason=""),
                name="operation_stop_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | models.Q(kind="national"),
                name="operation_child_is_national",
            ),
            models.UniqueConstraint(fields=["unit", "number"], name="operation_number_per_unit"),
            models.UniqueConstraint(
                fields=["parent", "unit"],
                condition=models.Q(parent__isnull=False),
                name="operation_one_child_per_office",
            ),
            once_per_key("created_by", name="operation_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("operations:operation_detail", args=[self.pk])

    def state(self, now: datetime.datetime | None = None) -> str:
        """The status as of `now`: approved becomes running at the start, without a write."""
        now = now or timezone.now()
        if self.status == OperationStatus.APPROVED and self.starts_at <= now:
            return OperationStatus.RUNNING
        return self.status

    def get_state_display(self) -> StrOrPromise:
        return OperationStatus(self.state()).label

    def is_running(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status in LIVE and self.starts_at <= now < self.ends_at

    @property
    def is_national_root(self) -> bool:
        return self.kind == OperationKind.NATIONAL and self.parent_id is None

    @property
    def zone(self):
        return (self.unit.office or self.unit).zone


class OperationTransition(models.Model):
    """One change of an operation's status, with who (none: the scheduler) and why."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=OperationStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=OperationStatus.choices)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["operation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.from_status} → {self.to_status}"


class OperationTeam(models.Model):
    """A team of one operation ("A", "B"), with its leader."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team"), max_length=40)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team leader"),
    )

    class Meta:
        ordering = ["operation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "name"], name="operation_team_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class OperationMember(models.Model):
    """A person on an operation: immigration staff (agency blank) or a partner agency's member,
    who sees the operation from the moment they are added."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="members")
    team = models.ForeignKey(
        OperationTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operation_memberships"
    )
    agency = models.CharField(_("agency"), max_length=20, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["operation", "team", "agency", "pk"]
        indexes = [models.Index(fields=["user", "operation"])]
        constraints = [
            models.UniqueConstraint(fields=["operation", "user"], name="operation_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.operation} — {self.user}"


class OperationTarget(models.Model):
    """A place of the registry to visit, or an area with no place yet (a label)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="targets")
    team = models.ForeignKey(
        OperationTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(_("area or description"), max_length=200, blank=True)

    class Meta:
        ordering = ["operation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place__isnull=False) | ~models.Q(label=""),
                name="operation_target_has_place_or_label",
            ),
            models.UniqueConstraint(
                fields=["operation", "place"],
                condition=models.Q(place__isnull=False),
                name="operation_target_place_once",
            ),
        ]

    def __str__(self) -> str:
        return self.place.name if self.place is not None else self.label


class OperationActivity(models.Model):
    """A field activity filed under an operation: its checks and findings count for it."""

    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="activity_links"
    )
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="operation_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["operation", "pk"]

    def __str__(self) -> str:
        return f"{self.operation_id} ← {self.activity_id}"


def partner_photo_path(instance: PartnerAction, filename: str) -> str:
    return f"operations/partner/{instance.photo_key.hex[:2]}/{instance.photo_key.hex}"


class PartnerAction(IdempotentModel):
    """What a partner agency did within its own authority at an operation's target: theirs."""

    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="partner_actions"
    )
    target = models.ForeignKey(
        OperationTarget, on_delete=models.PROTECT, related_name="partner_actions"
    )
    agency = models.CharField(_("agency"), max_length=20)
    description = models.CharField(_("what your agency did"), max_length=500)
    count = models.PositiveIntegerField(_("how many (persons, documents)"), null=True, blank=True)
    photo_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    photo = models.FileField(upload_to=partner_photo_path, max_length=200, blank=True)
    photo_type = models.CharField(max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # Not a column: the agency's short name, set by results.with_agency_labels for the pages.
    agency_label: str

    class Meta:
        ordering = ["operation", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(agency=""), name="partner_action_agency"),
            once_per_key("recorded_by", name="partner_action_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.description
