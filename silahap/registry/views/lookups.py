from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from silahap import inputs, limits
from silahap.accounts import access
from silahap.audit import services as audit
from silahap.registry.countries import nationality_from_icao
from silahap.registry.models import (
    District,
    ForeignNational,
    Place,
    Regency,
    StayPermit,
    TravelDocument,
    Village,
)
from silahap.registry.mrz import MRZError, parse_mrz
from silahap.registry.search import (
    MIN_QUERY_LENGTH,
    LookupTerms,
    lookup_terms,
    narrowed,
    nationality_code,
    places_near,
    search_persons,
    search_places,
)


def _details(ids: list[int]) -> dict[int, tuple]:
    """Each person's latest document number and latest permit (type, end), in one query
    instead of prefetching every document and permit (the lookup shows one of each)."""
    if not ids:
        return {}
    document = TravelDocument.objects.filter(person=OuterRef("pk")).order_by("-expiry_date", "pk")
    permit = StayPermit.objects.filter(person=OuterRef("pk")).order_by(
        F("valid_until").desc(nulls_last=True), "-pk"
    )
    rows = (
        ForeignNational.objects.filter(pk__in=ids)
        .annotate(
            document_number=Subquery(document.values("number")[:1]),
            permit_type=Subquery(permit.values("permit_type")[:1]),
            permit_expiry=Subquery(permit.values("valid_until")[:1]),
        )
        .values_list("pk", "document_number", "permit_type", "permit_expiry")
    )
    return {pk: tuple(rest) for pk, *rest in rows}


@require_GET
def person_lookup(request):
    """JSON for the check form's search-as-you-type: best match first, from 3 characters."""
    access.require_staff(request.user)
    query = request.GET.get("q", "")
    limit = inputs.read_int(request.GET.get("limit"), low=1, high=limits.LOOKUP_RESULTS, default=10)
    if len(query.strip()) < MIN_QUERY_LENGTH:
        return JsonResponse(
            {"error": _("Type at least %(n)d characters.") % {"n": MIN_QUERY_LENGTH}}, status=400
        )
    # A nationality or birth year typed in the box ("Zhang Wei, CN, 1985") or given by the
    # form's fields narrows the persons of a name, which the name alone cannot tell apart.
    terms = lookup_terms(query[: limits.LOOKUP_TERM + 1])
    nationality = nationality_code(inputs.read_text(request.GET.get("nationality"), limit=2))
    birth_year = inputs.read_int(request.GET.get("birth_year"), low=1900, high=2100, default=None)
    terms = LookupTerms(
        name=terms.name,
        nationality=nationality or terms.nationality,
        birth_year=birth_year or terms.birth_year,
    )
    if len(terms.name.strip()) < MIN_QUERY_LENGTH:
        return JsonResponse(
            {"error": _("Type at least %(n)d characters.") % {"n": MIN_QUERY_LENGTH}}, status=400
        )
    try:
        persons = search_persons(
            narrowed(ForeignNational.objects.visible_to(request.user), terms),
            terms.name if len(query) <= limits.LOOKUP_TERM else query,
            limit,
            longest=limits.LOOKUP_TERM,
            related=False,
        )
    except inputs.TermTooLong as error:
        return JsonResponse({"error": error.message}, status=400)
    audit.record(
        action="person.lookup",
        actor=request.user,
        summary={
            "query_length": len(query),
            "results": len(persons),
            "narrowed_by": [name for name in ("nationality", "birth_year") if getattr(terms, name)],
        },
        purpose="supervision",
        seal_after_commit=False,  # a read: sealed by the next sealer (see person_search)
    )
    details = _details([person.pk for person in persons])
    results = []
    for person in persons:
        document_number, permit_type, permit_expiry = details.get(person.pk, (None, None, None))
        results.append(
            {
                "id": person.pk,
                "full_name": person.full_name,
                "nationality": person.nationality.code,
                "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                "document_number": document_number,
                "permit_type": permit_type,
                "permit_expiry": permit_expiry.isoformat() if permit_expiry else None,
            }
        )
    return JsonResponse(results, safe=False)


@require_GET
def place_options(request):
    """The place picker's list: near the point (nearest first) and/or matching a name."""
    access.require_staff(request.user)
    places = Place.objects.visible_to(request.user)
    query = inputs.read_text(request.GET.get("q"), limit=limits.LOOKUP_TERM, name="q").strip()
    latitude = inputs.read_coordinate(request.GET.get("lat"), limits.LATITUDE, name="lat")
    longitude = inputs.read_coordinate(request.GET.get("lng"), limits.LONGITUDE, name="lng")
    selected = inputs.read_id(request.GET.get("selected"), name="selected")
    options: list[tuple[Place, float | None]] = []
    if query:
        options = [(place, None) for place in search_places(places, query)]
    elif latitude is not None and longitude is not None:
        options = places_near(places, latitude, longitude)
    return render(
        request,
        "registry/_place_options.html",
        {"options": options, "query": query, "selected": str(selected or "")},
    )


AREA_LEVELS: dict[str, tuple[type[Regency] | type[District] | type[Village], str]] = {
    "regency": (Regency, "province_id"),
    "district": (District, "regency_id"),
    "village": (Village, "district_id"),
}


@require_GET
def area_options(request, level: str):
    """<option>s of the areas inside a parent area, for the cascading address selects."""
    if level not in AREA_LEVELS:
        return HttpResponseBadRequest("unknown level")
    model, parent_field = AREA_LEVELS[level]
    # Kemendagri codes: "36", "36.71", "36.71.01" (limits of the code columns).
    parent = inputs.read_text(request.GET.get("parent"), limit=13, name="parent")
    areas: QuerySet | list = (
        model.objects.filter(**{parent_field: parent}).order_by("name") if parent else []
    )
    return render(request, "registry/_area_options.html", {"areas": areas})


MRZ_MESSAGES = {
    "format": gettext_lazy(
        "Not a readable MRZ: paste the 2 lines of 44 characters of a passport, "
        "or the 3 lines of 30 of an ID card."
    ),
    "document_number": gettext_lazy("The document number does not match its check digit."),
    "birth_date": gettext_lazy("The date of birth is not valid or does not match its check digit."),
    "expiry_date": gettext_lazy("The expiry date is not valid or does not match its check digit."),
    "optional_data": gettext_lazy("The personal number does not match its check digit."),
    "composite": gettext_lazy("The final check digit does not match: a character was misread."),
    "sex": gettext_lazy("The sex in the MRZ is not M, F or <."),
    "nationality": gettext_lazy("The nationality code in the MRZ is not valid."),
    "issuing_country": gettext_lazy("The issuing country code in the MRZ is not valid."),
    "names": gettext_lazy("The name line of the MRZ is not valid."),
}


@require_POST
def mrz_parse(request):
    """Read a pasted passport or ID-card MRZ; errors name the field they concern."""
    access.require_staff(request.user)
    pasted = request.POST.get("mrz", "")
    if len(pasted) > limits.MRZ:
        return JsonResponse({"error": str(MRZ_MESSAGES["format"]), "field": "format"}, status=400)
    try:
        data = parse_mrz(pasted)
    except MRZError as error:
        message = MRZ_MESSAGES.get(error.field, MRZ_MESSAGES["format"])
        return JsonResponse(
            {"error": str(message), "detail": str(error), "field": error.field}, status=400
        )
    nationality = nationality_from_icao(data.nationality)
    issuing_country = nationality_from_icao(data.issuing_country)
    return JsonResponse(
        {
            "full_name": data.full_name,
            "surname": data.surname,
            "given_names": data.given_names,
            "sex": data.sex,
            "birth_date": data.birth_date.isoformat(),
            "nationality": nationality or "",
            "nationality_as_read": data.nationality,
            "document_number": data.document_number,
            "document_country": issuing_country or "",
            "document_expiry": data.expiry_date.isoformat(),
            "document_kind": "passport" if data.format == "TD3" else "id_card",
        }
    )
