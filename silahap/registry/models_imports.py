"""Imports of persons and lodging reports (APOA) from CSV and XLSX, and the stays they record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.idempotency.models import IdempotentModel, once_per_key
from silahap.registry.imports.access import import_offices

__all__ = ["ImportJob", "ImportKind", "ImportRow", "LodgingStay"]


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("Persons with documents and permits")
    LODGING = "lodging", _("Lodging guest reports (APOA)")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """A job belongs to its office: its administrators and leaders see it, nobody else."""

        return self.filter(office__in=import_offices(user))


def import_file_path(instance: ImportJob, filename: str) -> str:
    # Never the uploaded name (untrusted, may carry "../"), and never guessable.
    return f"imports/{uuid.uuid4().hex}"


class ImportJob(IdempotentModel):
    """One uploaded file: checked first (a dry run), then applied once confirmed."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, waiting for confirmation")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Refused")

    office = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="import_jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    # The file itself, in the file store (the disk, or the object store with several nodes): the
    # worker reads it back, and the dry run and the import read the same bytes.
    # Defaults in the database too, so a node of the previous release can still insert a job.
    file = models.FileField(upload_to=import_file_path, max_length=200, blank=True, db_default="")
    size = models.PositiveIntegerField(default=0, db_default=0)
    # Files uploaded before they moved to the store (kept for one release so a node of the
    # previous release still reads its jobs; new uploads leave it empty).
    content = models.BinaryField(default=b"", blank=True)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    # Why the whole file was refused: a code (imports.problems) and its parameters, so the
    # message is rendered in the reader's language.
    problem = models.JSONField(default=list, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="import_job_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["checking", "checked", "applying", "applied", "failed"]
                ),
                name="import_job_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="import_job_progress_within_total",
            ),
            once_per_key("uploaded_by", name="import_job_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("registry:import_detail", args=[self.pk])

    def read_bytes(self) -> bytes:
        """The uploaded file's bytes, from the store (or, for an older job, from its row)."""
        if self.file:
            with self.file.open("rb") as handle:
                return handle.read()
        return bytes(self.content)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class ImportRow(models.Model):
    """What the latest run (dry run or import) did, or would do, with one line of the file."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        UNCHANGED = "unchanged", _("Unchanged")
        REFUSED = "refused", _("Refused")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    label = models.CharField(_("row"), max_length=200, blank=True)
    person = models.ForeignKey(
        "registry.ForeignNational",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # [[code, {params}], ...]: reasons and notes, rendered in the reader's language.
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["job", "line"]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_row_line_unique"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["created", "updated", "unchanged", "refused"]),
                name="import_row_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line}"


# A person's page shows this many stays, the latest first.
TIMELINE_STAYS = 50


class LodgingStayQuerySet(models.QuerySet):
    def visible_to(self, user) -> LodgingStayQuerySet:
        """Stays belong to the national registry: immigration staff, never partners."""

        return self if access.is_immigration_staff(user) else self.none()

    def for_timeline(self, person) -> LodgingStayQuerySet:
        """The person's latest stays with their places, for the person's page."""
        return (
            self.filter(person=person)
            .select_related("place__regency")
            .order_by("-check_in", "-pk")[:TIMELINE_STAYS]
        )


class LodgingStay(models.Model):
    """A foreigner's stay at a lodging place, as the place reported it (APOA)."""

    person = models.ForeignKey(
        "registry.ForeignNational", on_delete=models.PROTECT, related_name="lodging_stays"
    )
    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="stays")
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"), null=True, blank=True)
    source_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="stays"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LodgingStayQuerySet.as_manager()

    class Meta:
        ordering = ["-check_in"]
        verbose_name = _("lodging stay")
        verbose_name_plural = _("lodging stays")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "place", "check_in"], name="lodging_stay_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(check_out__isnull=True)
                | models.Q(check_out__gte=models.F("check_in")),
                name="lodging_stay_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.place_id} {self.check_in}"
