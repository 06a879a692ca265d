"""Finding people and places in the registry, behind one function each."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Q, QuerySet

from silahap.registry.models import ForeignNational, Place, TravelDocument
from silahap.registry.normalize import normalize_name

MIN_QUERY_LENGTH = 3


def search_persons(queryset: QuerySet[ForeignNational], query: str, limit: int = 10) -> list:
    """Persons matching a name (any word order, accents and case ignored) or a document number."""
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    words = normalize_name(query).split()
    document_prefix = query.upper().replace(" ", "")
    by_document = Q(
        pk__in=TravelDocument.objects.filter(number__startswith=document_prefix).values("person_id")
    )
    by_name = Q()
    for word in words:
        by_name &= Q(normalized_name__contains=word)
    matches = (
        queryset.filter(merged_into__isnull=True)
        .filter(by_document | by_name)
        .prefetch_related("documents", "permits")[: limit * 3]
    )
    normalized = " ".join(words)

    def rank(person: ForeignNational) -> tuple:
        exact_document = any(d.number == document_prefix for d in person.documents.all())
        return (not exact_document, person.normalized_name != normalized, person.full_name)

    return sorted(matches, key=rank)[:limit]


EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine); enough precision for 'nearest place'."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def places_near(
    queryset: QuerySet[Place], latitude, longitude, radius_m: int = 5000, limit: int = 10
) -> list[tuple[Place, float]]:
    """Places within a radius of a point, nearest first, with their distance in metres."""
    latitude, longitude = Decimal(str(latitude)), Decimal(str(longitude))
    # A bounding box the index can use, then the exact distance in Python on the few left.
    dlat = Decimal(radius_m / 111_320)
    dlon = Decimal(radius_m / (111_320 * max(0.01, math.cos(math.radians(float(latitude))))))
    candidates = queryset.filter(
        merged_into__isnull=True,
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    ).select_related("regency")[:500]
    ranked = [
        (place, distance_m(latitude, longitude, place.latitude, place.longitude))
        for place in candidates
    ]
    ranked = [(place, d) for place, d in ranked if d <= radius_m]
    return sorted(ranked, key=lambda pair: pair[1])[:limit]


def search_places(queryset: QuerySet[Place], query: str, limit: int = 10) -> list[Place]:
    words = normalize_name(query).split()
    if not words or len(query.strip()) < MIN_QUERY_LENGTH:
        return []
    condition = Q()
    for word in words:
        condition &= Q(normalized_name__contains=word)
    return list(
        queryset.filter(merged_into__isnull=True)
        .filter(condition)
        .select_related("regency")
        .order_by("name")[:limit]
    )
