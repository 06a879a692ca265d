"""Writes to the sponsor and place registry: keyword-only, one transaction, one audit event.

Creating a place is silahap.registry.services.place_create (the activity form uses it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.registry.models import District, Place, Regency, Sponsor, Village
from silahap.registry.normalize import normalize_name

# NIK (Nomor Induk Kependudukan) has 16 digits; NIB (Nomor Induk Berusaha, OSS) has 13.
IDENTITY_DIGITS = {Sponsor.Kind.INDIVIDUAL: 16, Sponsor.Kind.CORPORATION: 13}
SEPARATORS = re.compile(r"[\s.\-]")

SPONSOR_FIELDS = ("kind", "name", "identity_number", "address", "regency", "phone")
PLACE_FIELDS = (
    "name",
    "kind",
    "address",
    "regency",
    "district",
    "village",
    "latitude",
    "longitude",
)


def _require_staff(by: User) -> None:
    if not access.is_immigration_staff(by):
        raise PermissionDenied("only immigration staff write to the registry")


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
    _require_staff(by)
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
    _require_staff(by)
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


def _area_errors(
    regency: Regency | None, district: District | None, village: Village | None
) -> dict[str, str]:
    errors = {}
    if regency is None:
        errors["regency"] = _("Choose the regency/city.")
    elif district is not None and district.regency_id != regency.code:
        errors["district"] = _("This district is not in the chosen regency/city.")
    if village is not None and (district is None or village.district_id != district.code):
        errors["village"] = _("This village is not in the chosen district.")
    return errors


@transaction.atomic
def place_update(*, by: User, place: Place, **changes) -> Place:
    """Correct a place: name, kind, address, areas (nested) and point (both or neither)."""
    _require_staff(by)
    unknown = set(changes) - set(PLACE_FIELDS)
    if unknown:
        raise TypeError(f"place_update cannot change {sorted(unknown)}")
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.merged_into_id is not None:
        raise ValidationError(
            _("This place was merged into another one; change the one it was merged into.")
        )
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
    values = {field: getattr(place, field) for field in PLACE_FIELDS}
    values.update(changes)
    errors = _area_errors(values["regency"], values["district"], values["village"])
    if (values["latitude"] is None) != (values["longitude"] is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if not values["name"]:
        errors["name"] = _("Enter the place's name.")
    if errors:
        raise ValidationError(errors)
    changed = sorted(field for field in PLACE_FIELDS if getattr(place, field) != values[field])
    if not changed:
        return place
    for field in changed:
        setattr(place, field, values[field])
    place.normalized_name = normalize_name(place.name)
    place.full_clean()
    place.save()
    audit.record(action="place.update", actor=by, target=place, summary={"fields": changed})
    spine.record_about(
        place, type=EventType.PLACE_UPDATED, by=by, payload={"fields": sorted(changed)}
    )
    return place
