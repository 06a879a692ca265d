"""The register of personal-data breaches; its table keeps the name it had in the audit app."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silahap.oversight.queries import IncidentQuerySet

# UU 27/2022 Pasal 46(1): written notice of a personal-data breach to the data subjects and to
# the authority within 3 × 24 hours.
NOTIFICATION_DEADLINE = datetime.timedelta(hours=3 * 24)


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    CLOSED = "closed", _("Closed")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, birth, nationality)")
    TRAVEL_DOCUMENT = "travel_document", _("Travel documents")
    STAY_PERMIT = "stay_permit", _("Stay permits")
    ADDRESS_LOCATION = "location", _("Address and location")
    PHOTO = "photo", _("Photos and evidence")
    # UU 27/2022 Pasal 4(2): specific personal data, whose breach weighs more.
    BIOMETRIC = "biometric", _("Biometric data")
    CRIMINAL_RECORD = "criminal_record", _("Criminal records and case files")
    STAFF_ACCOUNT = "staff_account", _("Staff accounts")
    OTHER = "other", _("Other")


class Incident(models.Model):
    """A personal-data breach (kegagalan pelindungan data pribadi) and how it was handled."""

    Status = IncidentStatus
    Category = DataCategory

    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("office"),
    )
    reference = models.CharField(_("reference number"), max_length=60)
    discovered_at = models.DateTimeField(_("discovered at"))
    description = models.TextField(_("what happened"))
    data_categories = models.JSONField(_("categories of data"), default=list)
    subjects_count = models.PositiveIntegerField(_("approximate number of data subjects"))
    measures = models.TextField(_("measures taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(
        _("data subjects notified at"), null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        db_table = "audit_incident"
        ordering = ["-discovered_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "reference"], name="incident_reference_unique_per_office"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IncidentStatus.values), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(reference=""), name="incident_has_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def notification_deadline(self) -> datetime.datetime:
        return self.discovered_at + NOTIFICATION_DEADLINE

    @property
    def notified(self) -> bool:
        return self.authority_notified_at is not None and self.subjects_notified_at is not None

    def hours_left(self, now: datetime.datetime) -> int:
        """Whole hours until the deadline, negative once past it; a part hour is not counted
        either way, so what is left is never overstated."""
        return int((self.notification_deadline - now).total_seconds() / 3600)

    def is_overdue(self, now: datetime.datetime) -> bool:
        return not self.notified and now > self.notification_deadline

    def notified_late(self) -> bool:
        return any(
            moment is not None and moment > self.notification_deadline
            for moment in (self.authority_notified_at, self.subjects_notified_at)
        )
