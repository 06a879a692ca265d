"""Writes to foreign nationals: the person, their travel documents and stay permits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.registry import validation, warnings
from silahap.registry.models import (
    ForeignNational,
    Sponsor,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from silahap.registry.normalize import normalize_name
from silahap.registry.services.staff import require_staff


@dataclass(frozen=True)
class PersonResult:
    person: ForeignNational
    created: bool


# Fields person_update may change; documents and permits have their own services.
PERSON_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "occupation",
    "address",
    "regency",
    "sponsor",
)


def _clean_full_name(full_name: str) -> str:
    full_name = " ".join((full_name or "").split())
    if not normalize_name(full_name).strip("0123456789 "):
        raise ValidationError({"full_name": _("Enter the name as written in the passport.")})
    return full_name


def _permit_errors(
    *, permit_type: str, visa_index: VisaIndex | None, issued_on, valid_until
) -> dict[str, str]:
    errors = validation.permit_dates_errors(issued_on, valid_until)
    if visa_index is not None and visa_index.permit_type != permit_type:
        errors["visa_index"] = _("This visa index belongs to another kind of stay permit.")
    return errors


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
    permit_issued_on: datetime.date | None = None,
    permit_valid_until: datetime.date | None = None,
    visa_index: VisaIndex | None = None,
    sponsor: Sponsor | None = None,
) -> PersonResult:
    """Add a foreigner; a document that is already registered leads to its existing person."""
    require_staff(by)
    document_number = validation.clean_document_number(document_number)
    document_kind = document_kind or TravelDocument.Kind.PASSPORT
    if document_number:
        existing = (
            TravelDocument.objects.select_related("person")
            .filter(number=document_number, issuing_country=document_country or nationality)
            .first()
        )
        if existing is not None:
            return PersonResult(person=existing.person, created=False)
    full_name = _clean_full_name(full_name)
    errors = {"birth_date": validation.birth_date_error(birth_date)}
    if document_number:
        errors["document_number"] = validation.document_number_error(document_number, document_kind)
    if permit_type:
        permit_errors = _permit_errors(
            permit_type=permit_type,
            visa_index=visa_index,
            issued_on=permit_issued_on,
            valid_until=permit_valid_until,
        )
        # The names of person_create's own arguments (and of the form fields beside them).
        errors.update(
            {
                field if field == "visa_index" else f"permit_{field}": message
                for field, message in permit_errors.items()
            }
        )
    validation.raise_errors(errors)
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
            issued_on=permit_issued_on,
            valid_until=permit_valid_until,
            visa_index=visa_index,
            sponsor=sponsor,
        )
        permit.full_clean()
        permit.save()
        warnings.refresh_warning_columns([person.pk])
    audit.record(
        action="person.create",
        actor=by,
        target=person,
        summary={"nationality": str(nationality), "has_document": bool(document_number)},
    )
    spine.record_about(person, type=EventType.PERSON_CREATED, by=by)
    return PersonResult(person=person, created=True)


def _require_current(person: ForeignNational) -> None:
    if person.merged_into_id is not None:
        raise ValidationError(
            _("This record was merged into another one; change the one it was merged into.")
        )


@transaction.atomic
def person_update(*, by: User, person: ForeignNational, **changes) -> ForeignNational:
    """Correct a person's identity: name, sex, birth, nationality, occupation, address, sponsor."""
    require_staff(by)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    person = ForeignNational.objects.select_for_update().get(pk=person.pk)
    _require_current(person)
    if "full_name" in changes:
        changes["full_name"] = _clean_full_name(changes["full_name"])
    if "birth_date" in changes:
        validation.raise_errors({"birth_date": validation.birth_date_error(changes["birth_date"])})
    changed = sorted(field for field, value in changes.items() if getattr(person, field) != value)
    if not changed:
        return person
    for field in changed:
        setattr(person, field, changes[field])
    person.normalized_name = normalize_name(person.full_name)
    person.full_clean()
    person.save()
    # Field names only: the values are in the record, and the trail is read more widely.
    audit.record(action="person.update", actor=by, target=person, summary={"fields": changed})
    spine.record_about(
        person, type=EventType.PERSON_UPDATED, by=by, payload={"fields": sorted(changed)}
    )
    return person


@transaction.atomic
def document_add(
    *,
    by: User,
    person: ForeignNational,
    number: str,
    issuing_country: str,
    kind: str = TravelDocument.Kind.PASSPORT,
    expiry_date: datetime.date | None = None,
) -> TravelDocument:
    """Record another travel document of the person (a renewed passport, an ID card...)."""
    require_staff(by)
    _require_current(person)
    number = validation.clean_document_number(number)
    validation.raise_errors({"number": validation.document_number_error(number, kind)})
    holder = (
        TravelDocument.objects.filter(number=number, issuing_country=issuing_country)
        .values_list("person_id", flat=True)
        .first()
    )
    if holder is not None:
        message = (
            _("This document is already recorded for this person.")
            if holder == person.pk
            else _("This document is registered to another person; merge the two records.")
        )
        raise ValidationError({"number": message})
    document = TravelDocument(
        person=person,
        kind=kind,
        number=number,
        issuing_country=issuing_country,
        expiry_date=expiry_date,
    )
    document.full_clean()
    document.save()
    audit.record(
        action="document.add",
        actor=by,
        target=document,
        summary={"person": person.pk, "kind": kind, "issuing_country": str(issuing_country)},
    )
    spine.record_about(
        document, type=EventType.DOCUMENT_ADDED, by=by, payload={"person": person.pk}
    )
    return document


@transaction.atomic
def permit_add(
    *,
    by: User,
    person: ForeignNational,
    permit_type: str,
    number: str = "",
    visa_index: VisaIndex | None = None,
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    sponsor: Sponsor | None = None,
) -> StayPermit:
    """Record a stay permit of the person; it must be valid until a date after its issue."""
    require_staff(by)
    _require_current(person)
    validation.raise_errors(
        _permit_errors(
            permit_type=permit_type,
            visa_index=visa_index,
            issued_on=issued_on,
            valid_until=valid_until,
        )
    )
    permit = StayPermit(
        person=person,
        permit_type=permit_type,
        number=number.strip(),
        visa_index=visa_index,
        issued_on=issued_on,
        valid_until=valid_until,
        sponsor=sponsor,
    )
    permit.full_clean()
    permit.save()
    warnings.refresh_warning_columns([person.pk])
    audit.record(
        action="permit.add",
        actor=by,
        target=permit,
        summary={"person": person.pk, "permit_type": permit_type},
    )
    spine.record_about(
        permit,
        type=EventType.PERMIT_ADDED,
        by=by,
        payload={"person": person.pk, "permit_type": permit_type},
    )
    return permit


PERMIT_FIELDS = ("permit_type", "number", "visa_index", "issued_on", "valid_until", "sponsor")


@transaction.atomic
def permit_update(*, by: User, permit: StayPermit, **changes) -> StayPermit:
    """Correct a stay permit (the fields PermitForm holds), under the same rules as adding one;
    nothing changed writes nothing."""
    require_staff(by)
    unknown = set(changes) - set(PERMIT_FIELDS)
    if unknown:
        raise TypeError(f"permit_update takes {PERMIT_FIELDS}, not {sorted(unknown)}")
    permit = StayPermit.objects.select_for_update().select_related("person").get(pk=permit.pk)
    _require_current(permit.person)
    if "number" in changes:
        changes["number"] = (changes["number"] or "").strip()
    changed = sorted(name for name, value in changes.items() if getattr(permit, name) != value)
    if not changed:
        return permit
    for name in changed:
        setattr(permit, name, changes[name])
    validation.raise_errors(
        _permit_errors(
            permit_type=permit.permit_type,
            visa_index=permit.visa_index,
            issued_on=permit.issued_on,
            valid_until=permit.valid_until,
        )
    )
    permit.full_clean()
    permit.save()
    warnings.refresh_warning_columns([permit.person_id])
    audit.record(
        action="permit.update",
        actor=by,
        target=permit,
        summary={"person": permit.person_id, "fields": changed},
    )
    spine.record_about(
        permit,
        type=EventType.PERMIT_UPDATED,
        by=by,
        payload={"person": permit.person_id, "permit_type": permit.permit_type},
    )
    return permit
