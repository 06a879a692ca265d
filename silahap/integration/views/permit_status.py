"""The official status of a document for the check form, fetched beside it by the page's script
so a slow or failing lookup never holds up the officer."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from silahap.accounts import access
from silahap.audit import services as audit
from silahap.integration.permits.lookup import LookupUnavailable, configured
from silahap.registry.models import ForeignNational

MAX_NUMBER = 20


@require_GET
def permit_status(request):
    access.require_staff(request.user)
    number = request.GET.get("document_number", "").strip()[:MAX_NUMBER]
    country = request.GET.get("issuing_country", "").strip()[:2].upper()
    if len(number) < 5 or len(country) != 2:
        return JsonResponse({"status": "incomplete"}, status=400)
    country_codes = dict(ForeignNational._meta.get_field("nationality").choices)
    if country not in country_codes:
        return JsonResponse({"status": "incomplete"}, status=400)
    lookup = configured()
    try:
        official = lookup.lookup(document_number=number, issuing_country=country)
    except LookupUnavailable:
        return JsonResponse({"status": "unavailable"})
    # The official permit of a person is personal data: the read is on the trail.
    audit.record(
        action="permit.lookup",
        actor=request.user,
        summary={"source": official.source, "found": official.found, "country": country},
        purpose="check",
    )
    return JsonResponse(
        {"status": "found" if official.found else "not_found", **official.as_json()}
    )
