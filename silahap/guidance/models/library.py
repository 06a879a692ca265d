"""The SOP library and video tutorials, and who has read or watched which version."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.idempotency.models import IdempotentModel, once_per_key


class SopCategory(models.TextChoices):
    FIELD_SUPERVISION = "field", _("Field supervision")
    TIMPORA = "timpora", _("Timpora and joint operations")
    TAK = "tak", _("Administrative actions (TAK)")
    PRO_JUSTITIA = "pro_justitia", _("Pro justitia")
    PERSONAL_DATA = "personal_data", _("Personal data protection")
    USING_SILAHAP = "silahap", _("Using SiLAHAP")


class LibraryQuerySet(models.QuerySet):
    def visible_to(self, user) -> LibraryQuerySet:
        """One national library for immigration staff; partner-agency members see none of it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or access.is_immigration_staff(user):
            return self
        return self.none()


def sop_file_path(version: SopVersion, filename: str) -> str:
    return f"guidance/sop/{version.file_key.hex}.pdf"


class Sop(IdempotentModel):
    """A standard operating procedure: a title in a category, and its versions."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=SopCategory.choices)
    # Membership roles (officer, leader, ...) that must read its current version.
    required_roles = models.JSONField(_("required for"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="sop_has_title"),
            models.CheckConstraint(
                condition=models.Q(category__in=SopCategory.values), name="sop_category_valid"
            ),
            once_per_key("created_by", name="sop_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidance:sop_detail", args=[self.pk])


class SopVersion(IdempotentModel):
    """One published version; a newer one supersedes it, and it stays readable as history."""

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="versions")
    number = models.CharField(_("version"), max_length=20)
    effective_date = models.DateField(_("effective from"))
    changes = models.TextField(_("what changed"), blank=True)
    file_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=sop_file_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField(default=0)
    # The document's text, read at upload, for the library's search.
    text = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["sop", "-published_at", "-pk"]
        verbose_name = _("SOP version")
        verbose_name_plural = _("SOP versions")
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="sop_version_number_once"),
            models.UniqueConstraint(
                fields=["sop"],
                condition=models.Q(is_current=True),
                name="sop_one_current_version",
            ),
            models.CheckConstraint(condition=~models.Q(number=""), name="sop_version_has_number"),
            once_per_key("published_by", name="sop_version_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.sop} v{self.number}"


class SopAcknowledgement(models.Model):
    """A person has read one version of an SOP."""

    version = models.ForeignKey(SopVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SOP acknowledgement")
        verbose_name_plural = _("SOP acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="sop_acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.version_id}"


class TutorialStatus(models.TextChoices):
    PROCESSING = "processing", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def tutorial_path(tutorial: Tutorial, filename: str) -> str:
    return f"guidance/tutorials/{tutorial.file_key.hex}/{filename}"


class Tutorial(IdempotentModel):
    """A video: the uploaded original, the small copy for phones, its poster and captions."""

    Status = TutorialStatus

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sop = models.ForeignKey(
        Sop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutorials",
        verbose_name=_("SOP"),
    )
    required_roles = models.JSONField(_("required for"), default=list, blank=True)
    file_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original = models.FileField(upload_to=tutorial_path, max_length=200)
    original_sha256 = models.CharField(max_length=64)
    original_bytes = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(default=0)
    small = models.FileField(upload_to=tutorial_path, max_length=200, blank=True)
    small_bytes = models.PositiveBigIntegerField(default=0)
    poster = models.FileField(upload_to=tutorial_path, max_length=200, blank=True)
    captions = models.FileField(upload_to=tutorial_path, max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=TutorialStatus.choices, default=TutorialStatus.PROCESSING
    )
    failure_reason = models.TextField(blank=True)
    # Percent of quiz questions to answer right; null: no quiz.
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("video tutorial")
        verbose_name_plural = _("video tutorials")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="tutorial_has_title"),
            models.CheckConstraint(
                condition=models.Q(status__in=TutorialStatus.values),
                name="tutorial_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True)
                | models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="tutorial_pass_mark_percent",
            ),
            once_per_key("created_by", name="tutorial_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidance:tutorial_detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == TutorialStatus.READY


class QuizQuestion(models.Model):
    """A multiple-choice question after a tutorial; one choice is right."""

    tutorial = models.ForeignKey(Tutorial, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(default=list)
    correct_index = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["tutorial", "position", "pk"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self) -> str:
        return self.text


class TutorialProgress(models.Model):
    """What one person has actually played of a tutorial, as merged [start, end] seconds."""

    tutorial = models.ForeignKey(Tutorial, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ranges = models.JSONField(default=list)
    covered_seconds = models.FloatField(default=0)
    watched_at = models.DateTimeField(null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(null=True, blank=True)
    quiz_passed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tutorial progress")
        verbose_name_plural = _("tutorial progress")
        constraints = [
            models.UniqueConstraint(fields=["tutorial", "user"], name="tutorial_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watched {self.tutorial_id}"
