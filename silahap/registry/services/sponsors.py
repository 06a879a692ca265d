"""Writes to sponsors (penjamin): the people and companies answerable for a foreigner."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.registry.models import Regency, Sponsor
from silahap.registry.services.staff import require_staff

# NIK (Nomor Induk Kependudukan) has 16 digits; NIB (Nomor Induk Berusaha, OSS) has 13.
IDENTITY_DIGITS: dict[str, int] = {Sponsor.Kind.INDIVIDUAL: 16, Sponsor.Kind.CORPORATION: 13}
SEPARATORS = re.compile(r"[\s.\-]")

SPONSOR_FIELDS = ("kind", "name", "identity_number", "address", "regency", "phone")


def _clean_identity_number(value: str) -> str:
    """The NIK / NIB as digits only: officers copy it with spaces, dots or dashes."""
    return SEPARATORS.sub("", value or "")


def _identity_error(kind: str, identity_number: str) -> str | None:
    digits = IDENTITY_DIGITS.get(kind)
    if digits is None:
        return None
    if not re.fullmatch(rf"[0-9]{{{digits}}}", identity_number):
        if kind == Sponsor.Kind.INDIVIDUAL:
            return _("An individual sponsor's NIK has 16 digits.")
        return _("A corporation's NIB has 13 digits.")
    return None


def _clean_sponsor(values: dict) -> dict:
    values["name"] = " ".join((values.get("name") or "").split())
    values["identity_number"] = _clean_identity_number(values.get("identity_number", ""))
    values["phone"] = (values.get("phone") or "").strip()
    errors = {}
    if not values["name"]:
        errors["name"] = _("Enter the sponsor's name.")
    error = _identity_error(values.get("kind", ""), values["identity_number"])
    if error:
        errors["identity_number"] = error
    if errors:
        raise ValidationError(errors)
    return values


@dataclass(frozen=True)
class SponsorResult:
    sponsor: Sponsor
    created: bool


@transaction.atomic
def sponsor_create(
    *,
    by: User,
    kind: str,
    name: str,
    identity_number: str,
    address: str = "",
    regency: Regency | None = None,
    phone: str = "",
) -> SponsorResult:
    """Register a sponsor (penjamin); a NIK / NIB already registered leads to its sponsor, so a
    repeated submit creates nothing twice."""
    require_staff(by)
    values = _clean_sponsor(
        {
            "kind": kind,
            "name": name,
            "identity_number": identity_number,
            "address": address,
            "regency": regency,
            "phone": phone,
        }
    )
    existing = Sponsor.objects.filter(
        kind=values["kind"], identity_number=values["identity_number"]
    ).first()
    if existing is not None:
        return SponsorResult(sponsor=existing, created=False)
    sponsor = Sponsor(**values)
    sponsor.full_clean()
    sponsor.save()
    audit.record(action="sponsor.create", actor=by, target=sponsor, summary={"kind": kind})
    spine.record_about(sponsor, type=EventType.SPONSOR_CREATED, by=by, payload={"kind": kind})
    return SponsorResult(sponsor=sponsor, created=True)


@transaction.atomic
def sponsor_update(*, by: User, sponsor: Sponsor, **changes) -> Sponsor:
    """Correct a sponsor's kind, name, NIK / NIB, address, regency or phone."""
    require_staff(by)
    unknown = set(changes) - set(SPONSOR_FIELDS)
    if unknown:
        raise TypeError(f"sponsor_update cannot change {sorted(unknown)}")
    sponsor = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
    values = {field: getattr(sponsor, field) for field in SPONSOR_FIELDS}
    values.update(changes)
    values = _clean_sponsor(values)
    holder = (
        Sponsor.objects.filter(kind=values["kind"], identity_number=values["identity_number"])
        .exclude(pk=sponsor.pk)
        .exists()
    )
    if holder:
        raise ValidationError(
            {"identity_number": _("Another sponsor is registered with this NIK / NIB.")}
        )
    changed = sorted(field for field in SPONSOR_FIELDS if getattr(sponsor, field) != values[field])
    if not changed:
        return sponsor
    for field in changed:
        setattr(sponsor, field, values[field])
    sponsor.full_clean()
    sponsor.save()
    # Field names only: the values are in the record, and the trail is read more widely.
    audit.record(action="sponsor.update", actor=by, target=sponsor, summary={"fields": changed})
    spine.record_about(
        sponsor, type=EventType.SPONSOR_UPDATED, by=by, payload={"fields": sorted(changed)}
    )
    return sponsor
