"""Propose a new place's official area (Kemendagri codes) from the activity's GPS point.

The official area data has no coordinates, so the proposal is honest about where it comes from:
the codes of the nearest registered place within AREA_RADIUS_M of the point (the place officers
registered there before, with its codes as they confirmed them), else the office's work area when
it is a single regency. The officer sees the method on the form and only confirms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from silahap.accounts.models import OrgUnit

AREA_RADIUS_M = 1500
EARTH_RADIUS_M = 6_371_000
CANDIDATES = 200  # a bounding box this crowded is answered from its first rows


@dataclass(frozen=True)
class AreaProposal:
    method: str  # "nearest_place" or "work_area"
    province: str = ""
    regency: str = ""
    district: str = ""
    village: str = ""
    place_name: str = ""
    distance_m: int | None = None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def propose_area(
    *, places, latitude: Decimal, longitude: Decimal, unit: OrgUnit
) -> AreaProposal | None:
    """The area codes for a point: the nearest registered place's, or the office's work area."""
    lat, lng = float(latitude), float(longitude)
    lat_span = AREA_RADIUS_M / 111_320
    lng_span = AREA_RADIUS_M / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    nearby = (
        places.filter(
            merged_into__isnull=True,
            latitude__range=(lat - lat_span, lat + lat_span),
            longitude__range=(lng - lng_span, lng + lng_span),
        )
        .select_related("regency")
        .only(
            "name",
            "latitude",
            "longitude",
            "regency__code",
            "regency__province_id",
            "district_id",
            "village_id",
        )[:CANDIDATES]
    )
    best = None
    for place in nearby:
        meters = distance_m(lat, lng, float(place.latitude), float(place.longitude))
        # Nearest first; at one distance, the place with the finer codes.
        key = (round(meters), place.village_id is None, place.district_id is None)
        if meters <= AREA_RADIUS_M and (best is None or key < best[0]):
            best = (key, place, meters)
    if best is not None:
        _key, place, meters = best
        return AreaProposal(
            method="nearest_place",
            province=place.regency.province_id,
            regency=place.regency.code,
            district=place.district_id or "",
            village=place.village_id or "",
            place_name=place.name,
            distance_m=round(meters),
        )
    office = unit.office or unit
    regencies = list(office.work_area.all()[:2])
    if len(regencies) == 1:
        return AreaProposal(
            method="work_area", province=regencies[0].province_id, regency=regencies[0].code
        )
    return None
