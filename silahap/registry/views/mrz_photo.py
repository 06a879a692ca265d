"""Read a photographed passport page or ID/permit card for a form: the check form's camera button
and the registry person form's "from a scanned copy" both post here (issue #22)."""

from __future__ import annotations

import base64

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silahap.accounts import access
from silahap.registry.document_reading import document_values, read_for_form
from silahap.registry.mrz import MRZError
from silahap.registry.mrz_photo import MAX_BYTES


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
        result = read_for_form(by=request.user, data=data)
    except MRZError:
        return JsonResponse({"error": unreadable_message(), "field": "photo"}, status=422)
    found = result.reading.data
    return JsonResponse(
        {
            **document_values(found),
            "surname": found.surname,
            "given_names": found.given_names,
            "nationality_as_read": found.nationality,
            "unsure": result.unsure,
            "confidence": result.reading.confidence,
            "crop": "data:image/jpeg;base64," + base64.b64encode(result.reading.crop_jpeg).decode(),
        }
    )
