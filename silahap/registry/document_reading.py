"""A photographed document page read into the person form's fields (issue #22).

Shared by the camera button's endpoint (the form is filled on the phone) and by a check saved
offline with the photo waiting beside it (the server fills the fields the officer left empty).
The photo itself is never kept here: the caller holds its bytes only for the reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.registry.countries import nationality_from_icao
from silahap.registry.mrz import DocumentReading, MRZData, MRZError, read_document_photo

# The MRZ field a failing check digit covers → the form field the officer must type.
UNSURE_TO_FORM = {
    "document_number": "document_number",
    "birth_date": "birth_date",
    "expiry_date": "document_expiry",
    "names": "full_name",
    "sex": "sex",
    "nationality": "nationality",
    "issuing_country": "document_country",
}

# The person form's fields a reading can fill, in the order the officer sees them.
FORM_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "nationality",
    "document_number",
    "document_country",
    "document_expiry",
    "document_kind",
)


@dataclass(frozen=True)
class FormReading:
    """What a photo says in the person form's terms; `values` leaves out the unsure fields."""

    reading: DocumentReading
    values: dict[str, str] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)


def document_values(found: MRZData) -> dict[str, str]:
    """Every person form field as read, the unsure ones included."""
    return {
        "full_name": found.full_name,
        "sex": found.sex,
        "birth_date": found.birth_date.isoformat() if found.birth_date else "",
        "nationality": nationality_from_icao(found.nationality) or "",
        "document_number": found.document_number,
        "document_country": nationality_from_icao(found.issuing_country) or "",
        "document_expiry": found.expiry_date.isoformat() if found.expiry_date else "",
        "document_kind": "passport" if found.format == "TD3" else "id_card",
    }


def form_reading(reading: DocumentReading) -> FormReading:
    unsure = sorted({UNSURE_TO_FORM[name] for name in reading.unsure if name in UNSURE_TO_FORM})
    values = document_values(reading.data)
    return FormReading(
        reading=reading,
        values={name: value for name, value in values.items() if name not in unsure and value},
        unsure=unsure,
    )


def read_for_form(*, by: User, data: bytes) -> FormReading:
    """Read the photo and audit it as a read of the document; MRZError when it cannot be read."""
    try:
        reading = read_document_photo(data)
    except MRZError as error:
        audit.record(
            action="person.document_read",
            actor=by,
            summary={"read": False, "bytes": len(data), "reason": str(error)[:200]},
            purpose="supervision",
        )
        raise
    result = form_reading(reading)
    audit.record(
        action="person.document_read",
        actor=by,
        summary={
            "read": True,
            "bytes": len(data),
            "format": reading.data.format,
            "unsure": result.unsure,
        },
        purpose="supervision",
    )
    return result


# What a form field holds before anyone typed in it: a reading may fill it. "X" is the registry's
# "sex not known" (the form's choice when nobody set it); the document kind goes with its number.
_UNSET = {"sex": {"", "X"}}


def fill_only_empty(
    typed: dict[str, str], read: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The typed values with the read ones put only where nothing was typed, and which those are.

    What the officer typed is never overwritten; the document's kind is taken only with the
    number it belongs to.
    """
    merged = dict(typed)
    filled: list[str] = []
    for name in FORM_FIELDS:
        value = read.get(name, "")
        if not value or name == "document_kind":
            continue
        if (typed.get(name) or "").strip() not in _UNSET.get(name, {""}):
            continue
        merged[name] = value
        filled.append(name)
    if "document_number" in filled and read.get("document_kind"):
        merged["document_kind"] = read["document_kind"]
    return merged, filled
