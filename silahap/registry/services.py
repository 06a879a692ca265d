"""Every write to the registry: keyword-only, one transaction, one audit event."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.registry.models import (
    District,
    ForeignNational,
    Place,
    Regency,
    Sponsor,
    StayPermit,
    TravelDocument,
    Village,
    VisaIndex,
)
from silahap.registry.normalize import normalize_name


def _require_staff(by: User | None) -> None:
    if by is not None and not access.is_immigration_staff(by):
        raise PermissionDenied("only immigration staff write to the registry")


@dataclass(frozen=True)
class PersonResult:
    person: ForeignNational
    created: bool


@transaction.atomic
def person_create(
    *,
    by: User | None,
    full_name: str,
    nationality: str,
    sex: str = "X",
    birth_date: datetime.date | None = None,
    birth_place: str = "",
    occupation: str = "",
    address: str = "",
    document_number: str = "",
    document_country: str = "",
    document_kind: str = TravelDocument.Kind.PASSPORT,
    document_expiry: datetime.date | None = None,
    permit_type: str = "",
    permit_number: str = "",
    permit_valid_until: datetime.date | None = None,
    visa_index: VisaIndex | None = None,
    sponsor: Sponsor | None = None,
) -> PersonResult:
    """Add a foreigner; a document that is already registered leads to its existing person."""
    _require_staff(by)
    document_number = document_number.strip().upper().replace(" ", "")
    if document_number:
        existing = (
            TravelDocument.objects.select_related("person")
            .filter(number=document_number, issuing_country=document_country or nationality)
            .first()
        )
        if existing is not None:
            return PersonResult(person=existing.person, created=False)
    full_name = " ".join(full_name.split())
    if birth_date and birth_date > datetime.date.today():
        raise ValidationError({"birth_date": _("A date of birth cannot be in the future.")})
    person = ForeignNational(
        full_name=full_name,
        normalized_name=normalize_name(full_name),
        sex=sex or "X",
        birth_date=birth_date,
        birth_place=birth_place,
        nationality=nationality,
        occupation=occupation,
        address=address,
        sponsor=sponsor,
        created_by=by,
    )
    person.full_clean()
    person.save()
    if document_number:
        document = TravelDocument(
            person=person,
            kind=document_kind,
            number=document_number,
            issuing_country=document_country or nationality,
            expiry_date=document_expiry,
        )
        document.full_clean()
        document.save()
    if permit_type:
        permit = StayPermit(
            person=person,
            permit_type=permit_type,
            number=permit_number.strip(),
            valid_until=permit_valid_until,
            visa_index=visa_index,
            sponsor=sponsor,
        )
        permit.full_clean()
        permit.save()
    audit.record(
        action="person.create",
        actor=by,
        target=person,
        summary={"nationality": str(nationality), "has_document": bool(document_number)},
    )
    return PersonResult(person=person, created=True)


@transaction.atomic
def place_create(
    *,
    by: User | None,
    name: str,
    kind: str,
    regency: Regency,
    address: str = "",
    district: District | None = None,
    village: Village | None = None,
    latitude=None,
    longitude=None,
) -> Place:
    """Register a place under supervision; its areas must nest (village in district in regency)."""
    _require_staff(by)
    if district is not None and district.regency_id != regency.code:
        raise ValidationError({"district": _("This district is not in the chosen regency/city.")})
    if village is not None and (district is None or village.district_id != district.code):
        raise ValidationError({"village": _("This village is not in the chosen district.")})
    name = " ".join(name.split())
    place = Place(
        name=name,
        normalized_name=normalize_name(name),
        kind=kind,
        address=address,
        regency=regency,
        district=district,
        village=village,
        latitude=latitude,
        longitude=longitude,
        created_by=by,
    )
    place.full_clean()
    place.save()
    audit.record(action="place.create", actor=by, target=place, summary={"name": name})
    return place
