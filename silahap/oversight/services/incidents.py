"""The register of personal-data breaches (UU 27/2022 Pasal 46)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.idempotency.once import idempotent
from silahap.oversight.models import DataCategory, Incident

EDITABLE = [
    "reference",
    "discovered_at",
    "description",
    "data_categories",
    "subjects_count",
    "measures",
    "status",
    "authority_notified_at",
    "subjects_notified_at",
]


def _validate(incident: Incident) -> None:
    unknown = set(incident.data_categories) - set(DataCategory.values)
    if not incident.data_categories or unknown:
        raise ValidationError({"data_categories": _("Choose at least one category of data.")})
    now = timezone.now()
    if incident.discovered_at > now:
        raise ValidationError({"discovered_at": _("The discovery cannot be in the future.")})
    for name in ("authority_notified_at", "subjects_notified_at"):
        moment = getattr(incident, name)
        if moment is not None and (moment < incident.discovered_at or moment > now):
            raise ValidationError(
                {name: _("A notice is sent after the discovery and not in the future.")}
            )
    duplicate = Incident.objects.filter(office=incident.office, reference=incident.reference)
    if duplicate.exclude(pk=incident.pk).exists():
        raise ValidationError({"reference": _("This office already has an incident with it.")})


def _summary(incident: Incident, fields: list[str]) -> dict:
    return {
        "reference": incident.reference,
        "status": incident.status,
        "fields": fields,
        "deadline": incident.notification_deadline,
    }


@idempotent(Incident, owner="reported_by")
@transaction.atomic
def incident_create(
    *,
    by: User,
    client_id: uuid.UUID,
    office: OrgUnit,
    reference: str,
    discovered_at: datetime.datetime,
    description: str,
    data_categories: list[str],
    subjects_count: int,
    measures: str = "",
    status: str = Incident.Status.OPEN,
    authority_notified_at: datetime.datetime | None = None,
    subjects_notified_at: datetime.datetime | None = None,
) -> Incident:
    """Register a breach for an office the user administers; a retried submit returns the first."""
    existing = Incident.objects.filter(client_id=client_id).first()
    if existing is not None:
        access.require(by, "update", existing)
        return existing
    access.require(by, "register_incident", office)
    incident = Incident(
        client_id=client_id,
        office=office,
        reference=reference.strip(),
        discovered_at=discovered_at,
        description=description,
        data_categories=sorted(set(data_categories)),
        subjects_count=subjects_count,
        measures=measures,
        status=status,
        authority_notified_at=authority_notified_at,
        subjects_notified_at=subjects_notified_at,
        reported_by=by,
    )
    _validate(incident)
    incident.full_clean(exclude=["reported_by", "office"])
    incident.save()
    audit.record(
        action="incident.create", actor=by, target=incident, summary=_summary(incident, [])
    )
    return incident


@transaction.atomic
def incident_update(*, by: User, incident: Incident, **changes: Any) -> Incident:
    """Record what was done since: measures, status, when the authority and subjects were told."""
    access.require(by, "update", incident)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if "data_categories" in changes:
        changes["data_categories"] = sorted(set(changes["data_categories"]))
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    if not changed:
        return incident
    for name in changed:
        setattr(incident, name, changes[name])
    _validate(incident)
    incident.full_clean(exclude=["reported_by", "office"])
    incident.save()
    audit.record(
        action="incident.update", actor=by, target=incident, summary=_summary(incident, changed)
    )
    return incident
