from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.registry.models import ForeignNational, Place, StayPermit, point_is_valid


class ViolationType(models.Model):
    """A kind of suspected violation and the article it concerns (editable reference table)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    article = models.CharField(_("article"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class DailyReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> DailyReportQuerySet:
        """Officers see their own; leaders and analysts their units and below (DESIGN.md §3)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(models.Q(officer=user) | access.subtree_q(access.supervised_units(user)))

    def submitted(self) -> DailyReportQuerySet:
        return self.filter(status=ReportStatus.SUBMITTED)


class DailyReport(models.Model):
    """One officer's report for one day (in the office's time zone)."""

    Status = ReportStatus

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="daily_reports",
        verbose_name=_("officer"),
    )
    # The unit the officer reported from that day; scoping follows it, not later transfers.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="daily_reports")
    report_date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    revision_number = models.PositiveIntegerField(default=0)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_reports",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    correction_reason = models.TextField(_("reason for correction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-report_date", "officer"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        indexes = [
            models.Index(fields=["unit", "report_date"]),
            models.Index(fields=["status", "submitted_at"]),
            # The review queue and its counts: a unit's reports waiting for a decision, oldest
            # first, however long the unit's history grows.
            models.Index(
                fields=["unit", "submitted_at", "id"],
                condition=models.Q(status="submitted"),
                name="report_pending_by_unit",
            ),
            # The supervision map's list of a box: the period's filed reports by date, not a
            # scan of every report (the units are a path prefix, not a list of ids).
            models.Index(
                fields=["report_date"],
                condition=models.Q(first_submitted_at__isnull=False),
                name="report_filed_by_date",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["officer", "report_date"], name="report_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="report_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="report_approved_has_decider",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("officer")),
                name="report_not_decided_by_author",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(first_submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.report_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])


class ReportRevision(models.Model):
    """What a report said when it was submitted: frozen, so earlier versions stay readable."""

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # Not stored: what changed since the version before, set by the report page for its list.
    changes: list[dict[str, Any]]
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    correction_reason = models.TextField(blank=True)
    # The phone's id for this submit: a retried or double-tapped submit finds this revision.
    client_id = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="revision_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"


class ActivityKind(models.TextChoices):
    FIELD = "field", _("Field supervision")
    ADMINISTRATIVE = "administrative", _("Administrative supervision")


class ActivitySource(models.TextChoices):
    INDEPENDENT = "independent", _("Independent operation")
    JOINT_TIMPORA = "joint_timpora", _("Joint Timpora operation")
    NATIONAL = "national", _("National operation")
    INTELLIGENCE = "intelligence", _("Intelligence")
    PATROL = "patrol", _("Patrol")
    COMPLAINT = "complaint", _("Public complaint")
    APOA = "apoa", _("Lodging report follow-up (APOA)")
    SPONSOR_CHECK = "sponsor_check", _("Sponsor check")
    ADDRESS_CHECK = "address_check", _("Address check for an application")
    AGENCY_REQUEST = "agency_request", _("Request from another agency")


class Classification(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (intelligence)")


class LocationSource(models.TextChoices):
    GPS = "gps", _("GPS")
    MAP = "map", _("Tapped on the map")
    PLACE = "place", _("From the place")
    NONE = "none", _("No location")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """Rows follow their report; a closed activity's details are masked separately."""
        return self.filter(report__in=DailyReport.objects.visible_to(user))


class Activity(models.Model):
    """What an officer did at one place and time."""

    Kind = ActivityKind
    Source = ActivitySource
    Classification = Classification

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="activities")
    # Set by the phone, so a retried create finds the first one instead of making a second.
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=ActivitySource.choices)
    classification = models.CharField(
        _("classification"),
        max_length=8,
        choices=Classification.choices,
        default=Classification.OPEN,
    )
    warrant_number = models.CharField(_("warrant number"), max_length=100, blank=True)
    warrant_date = models.DateField(_("warrant date"), null=True, blank=True)
    warrant_to_follow = models.BooleanField(
        _("urgent: warrant to follow within one day"), default=False
    )
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("place"),
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy_m = models.PositiveIntegerField(_("GPS accuracy (m)"), null=True, blank=True)
    location_source = models.CharField(
        max_length=6, choices=LocationSource.choices, default=LocationSource.NONE
    )
    description = models.TextField(_("what was observed"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["started_at"]),
            # The map's points and lists of a view box over a period (insights.supervision_map):
            # the period's activities with a point, their box read from the index, instead of
            # every activity of every report of the period in the scope.
            models.Index(
                fields=["started_at", "latitude", "longitude"],
                condition=models.Q(latitude__isnull=False, longitude__isnull=False),
                name="activity_when_where",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=ActivitySource.values), name="activity_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(classification__in=Classification.values),
                name="activity_classification_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=point_is_valid(),
                name="activity_point_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(warrant_to_follow=False) | models.Q(warrant_number=""),
                name="activity_warrant_either_number_or_to_follow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reports:activity_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.classification == Classification.CLOSED


class CheckResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    FINDING = "finding", _("Finding")
    TAKEN_TO_OFFICE = "taken_to_office", _("Taken to the office")


class VerificationMethod(models.TextChoices):
    PERMIT_QR = "permit_qr", _("Stay permit QR code")
    PHYSICAL_DOCUMENT = "physical_document", _("Physical document")
    SYSTEM_LOOKUP = "system_lookup", _("System lookup")
    STATEMENT = "statement", _("Statement")


class ActivityPartQuerySet(models.QuerySet):
    """Checks, findings and evidence: readable exactly where their activity's report is."""

    def visible_to(self, user) -> ActivityPartQuerySet:
        return self.filter(activity__report__in=DailyReport.objects.visible_to(user))


class Check(models.Model):
    """One foreigner checked within an activity."""

    Result = CheckResult
    Method = VerificationMethod

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="checks")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        ForeignNational, on_delete=models.PROTECT, related_name="checks", verbose_name=_("person")
    )
    permit = models.ForeignKey(
        StayPermit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("stay permit shown"),
    )
    verification_method = models.CharField(
        _("how the permit was verified"), max_length=20, choices=VerificationMethod.choices
    )
    activity_observed = models.CharField(_("what the person was doing"), max_length=300, blank=True)
    matches_permit = models.BooleanField(_("matches the permit"), null=True)
    result = models.CharField(_("result"), max_length=16, choices=CheckResult.choices)
    notes = models.TextField(_("notes"), blank=True)
    # Saved offline with a photo of the document (issue #22 item 4): the photo was read when the
    # phone came back online and filled only the fields left empty; until the officer confirms
    # them the check is not complete (the report cannot be submitted). A database default, so
    # rows written by an older release (or during a rolling deploy) are complete checks.
    identity_pending = models.BooleanField(_("identity pending"), default=False, db_default=False)
    # What that reading did: {"read": bool, "filled": [field, ...], "unsure": [field, ...]}.
    identity_reading = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], name="check_person_once_per_activity"
            ),
            models.CheckConstraint(
                condition=models.Q(result__in=CheckResult.values), name="check_result_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(verification_method__in=VerificationMethod.values),
                name="check_verification_method_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_result_display()}"

    def identity_labels(self, key: str) -> list[str]:
        """The person fields the offline document reading filled ("filled") or left for the
        officer ("unsure"), as the form names them."""
        names = (self.identity_reading or {}).get(key) or []
        return [str(IDENTITY_FIELD_LABELS.get(name, name)) for name in names]

    @property
    def identity_filled_labels(self) -> list[str]:
        return self.identity_labels("filled")

    @property
    def identity_unsure_labels(self) -> list[str]:
        return self.identity_labels("unsure")


# The person form's fields a document photo fills, as the check form labels them.
IDENTITY_FIELD_LABELS = {
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "nationality": _("Nationality"),
    "document_number": _("Document number"),
    "document_country": _("Issuing country"),
    "document_expiry": _("Document expiry"),
}


class Finding(models.Model):
    """A suspected violation found in an activity; it opens a follow-up."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="findings")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    check_record = models.ForeignKey(
        Check, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    person = models.ForeignKey(
        ForeignNational,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("person"),
    )
    violation_type = models.ForeignKey(
        ViolationType,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("violation type"),
    )
    description = models.TextField(_("description"), blank=True)
    overstay_days = models.PositiveIntegerField(_("days of overstay"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return str(self.violation_type)


class EvidenceFlag(models.TextChoices):
    NONE = "none", _("Consistent with the activity")
    TIME = "time", _("Taken more than 2 hours from the activity")
    PLACE = "place", _("Taken more than 1 km from the activity")
    TIME_AND_PLACE = "time_place", _("Taken far from the activity's time and place")
    NO_METADATA = "no_metadata", _("No time or location in the photo")


class OriginalState(models.TextChoices):
    # The photo as the camera wrote it came with the upload (no resizing phone, or a small file).
    KEPT = "kept", _("Original kept")
    # The phone sent a display copy with the original's hash; the original follows.
    PENDING = "pending", _("Original not yet sent")
    # The original followed and its SHA-256 is the one the phone declared.
    VERIFIED = "verified", _("Original verified")


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name: it is untrusted and may carry "../".
    return f"evidence/{instance.client_id.hex[:2]}/{instance.client_id.hex}"


class Evidence(models.Model):
    """A photo or document attached to an activity; the original bytes are kept unchanged."""

    Flag = EvidenceFlag
    OriginalState = OriginalState

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="evidence")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty while the original is pending; `sha256` is always the original's (declared by the
    # phone until the original arrives and matches it).
    original = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    original_state = models.CharField(
        max_length=10, choices=OriginalState.choices, default=OriginalState.KEPT
    )
    original_received_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveBigIntegerField()
    # The re-encoded copies that are shown. Made by the worker from the original after the
    # upload (empty until then: the photo view serves a placeholder), or in the request from a
    # phone's display copy while its original is pending.
    display = models.FileField(upload_to="evidence/display/", max_length=200, blank=True)
    thumbnail = models.FileField(upload_to="evidence/thumbnail/", max_length=200, blank=True)
    # Whether `display` and `thumbnail` were made from the original: until then the worker's
    # task (and the scheduler's sweep, should it fail) still has them to make.
    copies_from_original = models.BooleanField(default=False, db_default=False)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    taken_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    flag = models.CharField(max_length=12, choices=EvidenceFlag.choices, default=EvidenceFlag.NONE)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            # The sweep's question each minute: which stored originals still lack their copies
            # (a handful at any time, however many photos there are).
            models.Index(
                fields=["updated_at"],
                condition=models.Q(copies_from_original=False) & ~models.Q(original=""),
                name="evidence_copies_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidence_sha256_format"
            ),
            models.CheckConstraint(
                condition=models.Q(flag__in=EvidenceFlag.values), name="evidence_flag_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(original_state__in=OriginalState.values),
                name="evidence_original_state_valid",
            ),
            # Only a pending original may be missing its file.
            models.CheckConstraint(
                condition=models.Q(original_state=OriginalState.PENDING) | ~models.Q(original=""),
                name="evidence_original_present_unless_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.sha256[:12]}"


class ReportDecision(models.Model):
    """A leader's decision on one submitted revision: the review history of a report."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="decisions")
    revision_number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "decided_at"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "revision_number"], name="decision_once_per_revision"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["approved", "returned"]),
                name="decision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="returned") | ~models.Q(reason=""),
                name="decision_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.revision_number}: {self.outcome}"


class Comment(models.Model):
    """A remark on a report or one of its activities: the archived successor of the chat thread."""

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="comments")
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_comments"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
