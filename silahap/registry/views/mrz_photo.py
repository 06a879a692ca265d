"""Read a photographed passport page or ID/permit card for a form: the check form's camera button
and the registry person form's "from a scanned copy" both post here (issue #22)."""

from __future__ import annotations

import base64

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silahap.accounts import access
from silahap.audit import services as audit
from silahap.registry.countries import nationality_from_icao
from silahap.registry.mrz import MRZError, read_document_photo
from silahap.registry.mrz_photo import MAX_BYTES

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


def unreadable_message() -> str:
    return _(
        "MRZ unreadable — take the photo again with the page flat and well lit, or type the data"
    )


@require_POST
def mrz_photo_read(request):
    """Read the MRZ of the posted photo; the photo is not kept (the officer may attach it)."""
    access.require_staff(request.user)
    upload = request.FILES.get("photo")
    data = b""
    if upload is not None and upload.size is not None and upload.size <= MAX_BYTES:
        data = upload.read()
    try:
        reading = read_document_photo(data)
    except MRZError as error:
        audit.record(
            action="person.document_read",
            actor=request.user,
            summary={"read": False, "bytes": len(data), "reason": str(error)[:200]},
            purpose="supervision",
        )
        return JsonResponse({"error": unreadable_message(), "field": "photo"}, status=422)
    found = reading.data
    unsure = sorted({UNSURE_TO_FORM[name] for name in reading.unsure if name in UNSURE_TO_FORM})
    audit.record(
        action="person.document_read",
        actor=request.user,
        summary={"read": True, "bytes": len(data), "format": found.format, "unsure": unsure},
        purpose="supervision",
    )
    return JsonResponse(
        {
            "full_name": found.full_name,
            "surname": found.surname,
            "given_names": found.given_names,
            "sex": found.sex,
            "birth_date": found.birth_date.isoformat() if found.birth_date else "",
            "nationality": nationality_from_icao(found.nationality) or "",
            "nationality_as_read": found.nationality,
            "document_number": found.document_number,
            "document_country": nationality_from_icao(found.issuing_country) or "",
            "document_expiry": found.expiry_date.isoformat() if found.expiry_date else "",
            "document_kind": "passport" if found.format == "TD3" else "id_card",
            "unsure": unsure,
            "confidence": reading.confidence,
            "crop": "data:image/jpeg;base64," + base64.b64encode(reading.crop_jpeg).decode(),
        }
    )
