"""Warrants and tasks, follow-ups, the working calendar, absences and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.idempotency.models import IdempotentModel, once_per_key
from silahap.reports.models import ReportStatus

# ---------------------------------------------------------------------------- calendar, absences


class HolidayKind(models.TextChoices):
    PUBLIC = "public", _("Public holiday")
    COLLECTIVE = "collective", _("Collective leave (cuti bersama)")


class HolidayQuerySet(models.QuerySet):
    def visible_to(self, user) -> HolidayQuerySet:
        """The national calendar is not personal data: everyone signed in reads it."""
        return self if user.is_authenticated else self.none()


class Holiday(models.Model):
    """A correction to the national calendar the `holidays` package gives: an added date, or a
    listed date that is a working day after all (is_working_day)."""

    Kind = HolidayKind

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=HolidayKind.choices)
    is_working_day = models.BooleanField(
        _("working day after all"),
        default=False,
        help_text=_(
            "Tick to cancel a holiday or collective leave listed by the national calendar."
        ),
    )

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=HolidayKind.values), name="holiday_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    SICK = "sick", _("Sick")
    DUTY_TRAVEL = "duty_travel", _("Duty travel")


class AbsenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AbsenceQuerySet:
        """A user's own, and those of the people they supervise or administer."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user__in=User.objects.visible_to(user))

    def covering(self, day) -> AbsenceQuerySet:
        return self.filter(start_date__lte=day, end_date__gte=day)


class Absence(IdempotentModel):
    """Leave, sickness or duty travel: the days it covers are not working days for that person."""

    Kind = AbsenceKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name=_("officer"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["user", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AbsenceKind.values), name="absence_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="absence_ends_after_start",
            ),
            once_per_key("recorded_by", name="absence_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} {self.start_date}–{self.end_date}"


# ---------------------------------------------------------------------------- warrants and tasks


def warrant_scan_path(instance: Warrant, filename: str) -> str:
    # Never the uploaded name; kept under MEDIA_ROOT and served only through an access check.
    return f"warrants/{instance.scan_key.hex[:2]}/{instance.scan_key.hex}"


class WarrantQuerySet(models.QuerySet):
    def visible_to(self, user) -> WarrantQuerySet:
        """Leaders and analysts: their units and below; officers: those naming or tasking them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            access.subtree_q(access.supervised_units(user))
            | models.Q(members=user)
            | models.Q(pk__in=Task.objects.assigned_to(user).values("warrant_id"))
        ).distinct()


class Warrant(IdempotentModel):
    """A signed order (surat perintah) sending officers out: Permenimipas 2/2025 Pasal 30."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="warrants", verbose_name=_("unit")
    )
    number = models.CharField(_("warrant number"), max_length=100)
    issued_on = models.DateField(_("warrant date"))
    signer = models.CharField(_("signed by"), max_length=200)
    basis = models.TextField(_("basis"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    period_start = models.DateField(_("valid from"))
    period_end = models.DateField(_("valid until"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="warrants", blank=True, verbose_name=_("members")
    )
    scan_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scan = models.FileField(upload_to=warrant_scan_path, max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = WarrantQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("warrant")
        verbose_name_plural = _("warrants")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="warrant_number_per_unit"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="warrant_period_ends_after_start",
            ),
            models.CheckConstraint(condition=~models.Q(number=""), name="warrant_has_number"),
            once_per_key("created_by", name="warrant_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:warrant_detail", args=[self.pk])


class TaskQuerySet(models.QuerySet):
    def assigned_to(self, user) -> TaskQuerySet:
        """Tasks given to the user, or to a team they are a current member of."""
        teams = [m.unit_id for m in access.current_memberships(user)]
        return self.filter(models.Q(assignee=user) | models.Q(team_id__in=teams))

    def visible_to(self, user) -> TaskQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        supervised = access.subtree_q(access.supervised_units(user), "warrant__unit")
        return self.filter(
            supervised | models.Q(pk__in=Task.objects.assigned_to(user).values("pk"))
        )

    def with_state(self, today) -> TaskQuerySet:
        """Done once a linked activity's report is submitted or approved; overdue when past due."""
        done = models.Exists(
            TaskActivity.objects.filter(
                task=models.OuterRef("pk"),
                activity__report__status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
            )
        )
        return self.annotate(is_done=done).annotate(
            is_overdue=models.ExpressionWrapper(
                models.Q(is_done=False, due_date__lt=today), output_field=models.BooleanField()
            )
        )


class Task(IdempotentModel):
    """An order under a warrant: an officer or a team goes to a place, person or area by a date."""

    warrant = models.ForeignKey(
        Warrant, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("warrant")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_tasks",
        verbose_name=_("officer"),
    )
    team = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_tasks",
        verbose_name=_("team"),
    )
    target_place = models.ForeignKey(
        "registry.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("place"),
    )
    target_person = models.ForeignKey(
        "registry.ForeignNational",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("person"),
    )
    target_area = models.CharField(_("area"), max_length=300, blank=True)
    instructions = models.TextField(_("instructions"))
    due_date = models.DateField(_("due date"))
    activities = models.ManyToManyField(
        "reports.Activity", through="TaskActivity", related_name="supervision_tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False, team__isnull=True)
                | models.Q(assignee__isnull=True, team__isnull=False),
                name="task_assignee_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(target_place__isnull=False)
                | models.Q(target_person__isnull=False)
                | ~models.Q(target_area=""),
                name="task_has_target",
            ),
            once_per_key("created_by", name="task_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.warrant} — {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.target_place_id:
            return str(self.target_place)
        if self.target_person_id:
            return str(self.target_person)
        return self.target_area


class TaskActivity(models.Model):
    """The activity that carries out a task; an activity carries out at most one task."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="task_activities")
    activity = models.OneToOneField(
        "reports.Activity", on_delete=models.PROTECT, related_name="task_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task activity")
        verbose_name_plural = _("task activities")

    def __str__(self) -> str:
        return f"{self.task} ← {self.activity}"


# ---------------------------------------------------------------------------- follow-ups


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class StepKind(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance or warning")
    SUMMONS = "summons", _("Summons")
    EXAMINATION = "examination", _("Examination record (BAP)")
    CASE_CONFERENCE = "case_conference", _("Case conference (gelar kasus)")
    ADMINISTRATIVE_ACTION = "administrative_action", _("Administrative action (TAK)")
    CRIMINAL_INVESTIGATION = "criminal_investigation", _("Criminal investigation (pro justitia)")
    REFERRAL = "referral", _("Referral to another agency")


class ActionKind(models.TextChoices):
    """The six administrative actions of UU 6/2011 Pasal 75 ayat (2)."""

    LISTING = "listing", _("Listing for exit or entry ban (pencegahan/penangkalan)")
    STAY_PERMIT = "stay_permit", _("Restriction, change or cancellation of the stay permit")
    PLACE_BAN = "place_ban", _("Ban from a place")
    RESIDENCE_OBLIGATION = "residence_obligation", _("Obligation to live at a place")
    OVERSTAY_CHARGE = "overstay_charge", _("Overstay charge (biaya beban)")
    DEPORTATION = "deportation", _("Deportation")


class StepStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpQuerySet:
        """Leaders and analysts: their units and below; officers: their findings and their steps."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            access.subtree_q(access.supervised_units(user))
            | models.Q(finding__activity__report__officer=user)
            | models.Q(pk__in=FollowUpStep.objects.filter(assignee=user).values("followup_id"))
        )


class FollowUp(models.Model):
    """The case a finding opens, worked through ordered steps up to an administrative action."""

    Status = FollowUpStatus

    finding = models.OneToOneField(
        "reports.Finding", on_delete=models.PROTECT, related_name="followup"
    )
    # The unit of the report the finding came from: scoping follows it.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="followups")
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FollowUpStatus.values), name="followup_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(closed_at__isnull=False),
                name="followup_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Follow-up')} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:followup_detail", args=[self.pk])


class FollowUpStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpStepQuerySet:
        """A step follows its follow-up; whoever it is assigned to sees it too."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(followup__in=FollowUp.objects.visible_to(user)) | models.Q(assignee=user)
        )


class FollowUpStep(IdempotentModel):
    """One step of a follow-up, in order; a TAK needs a recorded case-conference decision first."""

    Kind = StepKind
    Status = StepStatus
    ActionKind = ActionKind

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpStepQuerySet.as_manager()
    kind = models.CharField(_("step"), max_length=24, choices=StepKind.choices)
    action_kind = models.CharField(
        _("administrative action"), max_length=24, choices=ActionKind.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_steps",
        verbose_name=_("assignee"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    # The case-conference step whose decision this administrative action carries out.
    basis_step = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["followup", "position"]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["followup", "position"], name="step_position_unique"),
            once_per_key("created_by", name="step_once_per_key"),
            models.CheckConstraint(
                condition=models.Q(kind__in=StepKind.values), name="step_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=StepStatus.values), name="step_status_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="administrative_action") & ~models.Q(action_kind=""))
                | (~models.Q(kind="administrative_action") & models.Q(action_kind="")),
                name="step_action_kind_only_for_tak",
            ),
            # Permenimipas 2/2025 Pasal 59: a TAK rests on a case conference's decision.
            models.CheckConstraint(
                condition=~models.Q(kind="administrative_action")
                | models.Q(basis_step__isnull=False),
                name="step_tak_has_case_conference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup} {self.position}. {self.get_kind_display()}"


# ---------------------------------------------------------------------------- notifications


class NotificationKind(models.TextChoices):
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    STEP_DUE = "step_due", _("Follow-up step due")
    STEP_OVERDUE = "step_overdue", _("Follow-up step overdue")
    REPORT_MISSING = "report_missing", _("Daily report missing")
    REPORTS_MISSING_UNIT = "reports_missing_unit", _("Daily reports missing in your unit")
    PERMIT_WARNINGS = "permit_warnings", _("Stay permits expiring or overstayed")
    UNUSUAL_ACCESS = "unusual_access", _("Unusual access to personal records")
    IMPORT_FINISHED = "import_finished", _("Import finished")
    ACCESS_GRANTED = "access_granted", _("Access granted")
    DIRECTION_URGENT = "direction_urgent", _("Urgent direction")
    DIRECTION_REMINDER = "direction_reminder", _("Direction not yet read")
    TRAINING_REMINDER = "training_reminder", _("Required SOPs and tutorials")
    WEBHOOK_DISABLED = "webhook_disabled", _("Webhook subscription disabled")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, in the app and by email; sent once per (kind, object, day)."""

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    day = models.DateField()
    # Interpolated into the kind's text when shown, so it follows the reader's language.
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "day"],
                name="notification_once_per_kind_object_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind} {self.object_type}#{self.object_id}"


class SchedulerMark(models.Model):
    """A job the scheduler has enqueued, by key, so a restart or a second scheduler skips it."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheduler mark")
        verbose_name_plural = _("scheduler marks")

    def __str__(self) -> str:
        return self.key
