"""The country for `seed_demo --scale`: about 125 immigration offices in real regencies and
cities, each with a section and two supervision teams, a section head who decides reports, and
officers spread over them, so that more activities means more history for the same units.

The three demo offices keep their own teams and leaders; the others are added here once, in
bulk (past the services, like the rest of the bulk data) and reused by every later run. Each
office is placed in a real regency or city (Kemendagri code, loaded by `load_areas`), its zone
follows its province, and its names and places are drawn in the style of the demo office of
the same zone. Coordinates are near the province's capital: the area data carries none."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Max

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.registry.models import Regency

from .registry import BOXES, OFFICE_ZONES, PLACES_PER_REGENCY, DemoError

OFFICES = 125
CODE_PREFIX = "BULK-KANIM-"
# The demo office whose names, streets and kinds of place an office of this zone borrows.
STYLE = {"Asia/Jakarta": "KANIM-TNG", "Asia/Makassar": "KANIM-DPS", "Asia/Jayapura": "KANIM-JYP"}
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
# Province capitals (latitude, longitude): activities and places fall within ~0.1° of them.
CAPITALS = {
    "11": (5.55, 95.32), "12": (3.59, 98.67), "13": (-0.95, 100.35), "14": (0.51, 101.45),
    "15": (-1.61, 103.61), "16": (-2.98, 104.76), "17": (-3.80, 102.27), "18": (-5.43, 105.26),
    "19": (-2.13, 106.11), "21": (1.05, 104.03), "31": (-6.20, 106.84), "32": (-6.91, 107.61),
    "33": (-6.99, 110.42), "34": (-7.80, 110.36), "35": (-7.25, 112.75), "36": (-6.12, 106.15),
    "51": (-8.65, 115.22), "52": (-8.58, 116.12), "53": (-10.18, 123.61), "61": (-0.03, 109.33),
    "62": (-2.21, 113.92), "63": (-3.32, 114.59), "64": (-0.50, 117.15), "65": (2.84, 117.37),
    "71": (1.47, 124.84), "72": (-0.90, 119.87), "73": (-5.15, 119.43), "74": (-3.97, 122.51),
    "75": (0.54, 123.06), "76": (-2.68, 118.89), "81": (-3.70, 128.18), "82": (0.79, 127.38),
    "91": (-2.53, 140.72), "92": (-0.86, 134.06), "93": (-8.49, 140.40), "94": (-3.37, 135.50),
    "95": (-4.10, 138.95), "96": (-0.88, 131.25), "97": (-4.10, 138.95),
}  # fmt: skip


@dataclass
class Office:
    """One office as the generator uses it: where its officers report from, who decides."""

    code: str
    pk: int
    zone: zoneinfo.ZoneInfo
    style: str
    regencies: list[str]
    teams: list[int]
    deciders: list[int]
    boxes: dict[str, list[tuple[float, float, float, float]]] = field(default_factory=dict)


def zone_of(province: str) -> str:
    if province in WIT_PROVINCES:
        return "Asia/Jayapura"
    if province in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def _box(province: str) -> tuple[float, float, float, float]:
    latitude, longitude = CAPITALS.get(province, (-2.5, 118.0))
    return (latitude - 0.1, latitude + 0.1, longitude - 0.1, longitude + 0.1)


def _regencies_for_new_offices(count: int, taken: set[str]) -> list[Regency]:
    """Cities first, then regencies, taken in turn from each province: spread like the country."""
    by_province: dict[str, list[Regency]] = {}
    regencies = (
        Regency.objects.exclude(code__in=taken)
        .filter(districts__villages__isnull=False)
        .distinct()
        .order_by("code")
    )
    for regency in regencies:
        by_province.setdefault(regency.province_id, []).append(regency)
    # Only the regencies loaded (`load_areas`, all of them or some provinces) host offices: a
    # database with a few provinces gets fewer offices.
    for rows in by_province.values():
        rows.sort(key=lambda r: (int(r.code[3:]) < 71, r.code))  # kota (71+) first
    chosen: list[Regency] = []
    while len(chosen) < count and any(by_province.values()):
        for province in sorted(by_province):
            if by_province[province] and len(chosen) < count:
                chosen.append(by_province[province].pop(0))
    return chosen


def _add_offices(regencies: list[Regency], root: OrgUnit, first_number: int) -> None:
    """The offices (each with a section and two teams) and their section heads, in bulk."""
    next_id = (OrgUnit.objects.aggregate(Max("id"))["id__max"] or 0) + 1
    units: list[OrgUnit] = []
    areas = []
    heads: list[tuple[User, int]] = []
    password = make_password(None)
    next_user = (User.objects.aggregate(Max("id"))["id__max"] or 0) + 1
    for number, regency in enumerate(regencies, start=first_number):
        code = f"{CODE_PREFIX}{number:03d}"
        office_id, section_id = next_id, next_id + 1
        office_path = f"{root.path}{office_id}/"
        section_path = f"{office_path}{section_id}/"
        zone = zone_of(regency.province_id)
        common = {"timezone": zone, "office_id": office_id}
        units.append(
            OrgUnit(
                id=office_id, parent=root, kind=OrgUnit.Kind.IMMIGRATION_OFFICE, code=code,
                name=f"Kantor Imigrasi {regency.name.title()}", path=office_path,
                depth=root.depth + 1, office_class=OrgUnit.OfficeClass.I, is_tpi=False,
                report_deadline=datetime.time(20, 0), **common,
            )
        )  # fmt: skip
        units.append(
            OrgUnit(
                id=section_id, parent_id=office_id, kind=OrgUnit.Kind.SECTION,
                code=f"{code}-INTELDAKIM", name=f"Seksi Inteldakim {regency.name.title()}",
                path=section_path, depth=root.depth + 2, **common,
            )
        )  # fmt: skip
        for team in (1, 2):
            team_id = next_id + 1 + team
            units.append(
                OrgUnit(
                    id=team_id, parent_id=section_id, kind=OrgUnit.Kind.TEAM,
                    code=f"{code}-TIM{team}", name=f"Tim Pengawasan {team} {regency.name.title()}",
                    path=f"{section_path}{team_id}/", depth=root.depth + 3, **common,
                )
            )  # fmt: skip
        areas.append(OrgUnit.work_area.through(orgunit_id=office_id, regency_id=regency.code))
        head = User(
            id=next_user, username=f"bulk.kasi{number:03d}", password=password,
            full_name=f"Kepala Seksi {regency.name.title()}", position="Kepala Seksi Inteldakim",
        )  # fmt: skip
        heads.append((head, section_id))
        next_user += 1
        next_id += 4
    OrgUnit.objects.bulk_create(units)
    OrgUnit.work_area.through.objects.bulk_create(areas)
    User.objects.bulk_create([head for head, _section in heads])
    Membership.objects.bulk_create(
        Membership(
            user_id=head.pk,
            unit_id=section_id,
            role=Membership.Role.LEADER,
            start_date=datetime.date(2015, 1, 1),
        )  # fmt: skip
        for head, section_id in heads
    )
    _move_sequences()


def _move_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (OrgUnit, User, Membership):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"(SELECT MAX(id) FROM {connection.ops.quote_name(table)}))",
                [table],
            )


def _deciders(office: OrgUnit) -> list[int]:
    return list(
        Membership.objects.filter(
            unit__path__startswith=office.path, role=Membership.Role.LEADER, end_date__isnull=True
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def offices(count: int = OFFICES) -> list[Office]:
    """The demo offices and enough bulk offices to make `count`, created on the first call."""
    demo = {u.code: u for u in OrgUnit.objects.filter(code__in=list(OFFICE_ZONES))}
    if len(demo) != len(OFFICE_ZONES):
        raise DemoError("the demo organisation is missing; run `manage.py seed_demo` first")
    existing = list(
        OrgUnit.objects.filter(code__startswith=CODE_PREFIX, kind=OrgUnit.Kind.IMMIGRATION_OFFICE)
    )
    wanted = max(0, count - len(demo) - len(existing))
    wanted_regencies = None
    if wanted:
        taken = set(
            OrgUnit.work_area.through.objects.values_list("regency_id", flat=True).distinct()
        )
        wanted_regencies = _regencies_for_new_offices(wanted, taken)
    if wanted_regencies:
        root = OrgUnit.objects.get(parent__isnull=True, kind=OrgUnit.Kind.DIRECTORATE_GENERAL)
        _add_offices(wanted_regencies, root, len(existing) + 1)
    result = []
    for code, unit in demo.items():
        teams = list(
            OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnit.Kind.TEAM)
            .order_by("code")
            .values_list("pk", flat=True)
        ) or list(
            OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnit.Kind.SECTION)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        regencies = list(PLACES_PER_REGENCY[code])
        result.append(
            Office(code, unit.pk, OFFICE_ZONES[code], code, regencies, teams, _deciders(unit),
                   {r: BOXES[r] for r in regencies})
        )  # fmt: skip
    bulk = OrgUnit.objects.filter(
        code__startswith=CODE_PREFIX, kind=OrgUnit.Kind.IMMIGRATION_OFFICE
    ).prefetch_related("work_area")
    teams: dict[int, list[int]] = {}
    for pk, office_id in OrgUnit.objects.filter(
        code__startswith=CODE_PREFIX, kind=OrgUnit.Kind.TEAM
    ).values_list("pk", "office_id"):
        teams.setdefault(office_id, []).append(pk)
    deciders: dict[int, list[int]] = {}
    for user_id, office_id in Membership.objects.filter(
        unit__code__startswith=CODE_PREFIX, role=Membership.Role.LEADER
    ).values_list("user_id", "unit__office_id"):
        deciders.setdefault(office_id, []).append(user_id)
    for unit in sorted(bulk, key=lambda u: u.code)[: max(0, count - len(demo))]:
        regencies = [r.code for r in unit.work_area.all()]
        result.append(
            Office(
                unit.code, unit.pk, unit.zone, STYLE[unit.timezone], regencies,
                sorted(teams.get(unit.pk, [])), deciders.get(unit.pk, []),
                {r: [_box(r[:2])] for r in regencies},
            )
        )  # fmt: skip
    return result
