"""The demo organisation and its fixed logins (README lists them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User

DEMO_PASSWORD = "Demo-SiLAHAP-2026"
MEMBER_SINCE = datetime.date(2024, 1, 2)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    office_class: str = ""
    is_tpi: bool | None = None
    timezone_name: str = ""
    deadline: datetime.time | None = None
    work_area: tuple[str, ...] = ()


K = OrgUnit.Kind
UNITS = [
    UnitSpec("DJI", "Direktorat Jenderal Imigrasi", K.DIRECTORATE_GENERAL, None),
    UnitSpec("KANWIL-BANTEN", "Kantor Wilayah Ditjen Imigrasi Banten", K.REGIONAL_OFFICE, "DJI"),
    UnitSpec(
        "KANIM-TNG",
        "Kantor Imigrasi Kelas I Khusus Non TPI Tangerang",
        K.IMMIGRATION_OFFICE,
        "KANWIL-BANTEN",
        "I_khusus",
        False,
        "Asia/Jakarta",
        datetime.time(20, 0),
        ("36.71", "36.03", "36.74"),
    ),
    UnitSpec("KANIM-TNG-INTELDAKIM", "Seksi Inteldakim Kanim Tangerang", K.SECTION, "KANIM-TNG"),
    UnitSpec("KANIM-TNG-TIM1", "Tim Pengawasan 1 Tangerang", K.TEAM, "KANIM-TNG-INTELDAKIM"),
    UnitSpec("KANIM-TNG-TIM2", "Tim Pengawasan 2 Tangerang", K.TEAM, "KANIM-TNG-INTELDAKIM"),
    UnitSpec("KANWIL-BALI", "Kantor Wilayah Ditjen Imigrasi Bali", K.REGIONAL_OFFICE, "DJI"),
    UnitSpec(
        "KANIM-DPS",
        "Kantor Imigrasi Kelas I Khusus TPI Denpasar",
        K.IMMIGRATION_OFFICE,
        "KANWIL-BALI",
        "I_khusus",
        True,
        "Asia/Makassar",
        datetime.time(20, 0),
        ("51.71", "51.03"),
    ),
    UnitSpec("KANIM-DPS-INTELDAKIM", "Seksi Inteldakim Kanim Denpasar", K.SECTION, "KANIM-DPS"),
    UnitSpec("KANWIL-PAPUA", "Kantor Wilayah Ditjen Imigrasi Papua", K.REGIONAL_OFFICE, "DJI"),
    UnitSpec(
        "KANIM-JYP",
        "Kantor Imigrasi Kelas I TPI Jayapura",
        K.IMMIGRATION_OFFICE,
        "KANWIL-PAPUA",
        "I",
        True,
        "Asia/Jayapura",
        datetime.time(19, 0),
        ("91.71",),
    ),
    UnitSpec("KANIM-JYP-INTELDAKIM", "Seksi Inteldakim Kanim Jayapura", K.SECTION, "KANIM-JYP"),
]


@dataclass(frozen=True)
class PersonSpec:
    username: str
    full_name: str
    unit: str
    role: str
    position: str = ""
    agency: str = ""
    acting: bool = False


OFFICER_NAMES = [
    "Andi Saputra",
    "Budi Santoso",
    "Citra Lestari",
    "Dewi Anggraini",
    "Eko Prasetyo",
    "Fajar Nugroho",
    "Gita Permatasari",
    "Hendra Wijaya",
    "Indah Puspitasari",
    "Joko Susilo",
    "Kurniawati Rahayu",
    "Lukman Hakim",
]
R = Membership.Role
PEOPLE = [
    PersonSpec(
        f"petugas.tng{n}",
        name,
        "KANIM-TNG-TIM1" if n <= 6 else "KANIM-TNG-TIM2",
        R.OFFICER,
        "Analis Keimigrasian",
    )
    for n, name in enumerate(OFFICER_NAMES, start=1)
] + [
    PersonSpec(
        "kasi.tng", "Rudi Hartono", "KANIM-TNG-INTELDAKIM", R.LEADER, "Kepala Seksi Inteldakim"
    ),
    PersonSpec("kakanim.tng", "Sri Wahyuni", "KANIM-TNG", R.LEADER, "Kepala Kantor Imigrasi"),
    PersonSpec(
        "analis.banten", "Taufik Hidayat", "KANWIL-BANTEN", R.ANALYST, "Analis Kanwil Banten"
    ),
    PersonSpec("analis.pusat", "Maya Sari", "DJI", R.ANALYST, "Analis Direktorat Wasdakim"),
    PersonSpec("admin.tng", "Yusuf Maulana", "KANIM-TNG", R.ADMIN, "Pengelola Sistem"),
    PersonSpec(
        "polri.tng",
        "Bripka Agus Setiawan",
        "KANIM-TNG",
        R.PARTNER,
        "Polres Metro Tangerang",
        "polri",
    ),
    PersonSpec(
        "satpolpp.tng",
        "Wahyu Ramadhan",
        "KANIM-TNG",
        R.PARTNER,
        "Satpol PP Kota Tangerang",
        "satpol_pp",
    ),
    PersonSpec(
        "disnaker.tng", "Nurul Aini", "KANIM-TNG", R.PARTNER, "Disnaker Kota Tangerang", "disnaker"
    ),
    PersonSpec("bnn.tng", "Rizky Firmansyah", "KANIM-TNG", R.PARTNER, "BNN Kota Tangerang", "bnn"),
    PersonSpec(
        "kasi.dps", "I Made Suarsana", "KANIM-DPS-INTELDAKIM", R.LEADER, "Kepala Seksi Inteldakim"
    ),
    PersonSpec(
        "petugas.dps1", "I Wayan Artana", "KANIM-DPS-INTELDAKIM", R.OFFICER, "Analis Keimigrasian"
    ),
    PersonSpec(
        "petugas.dps2", "Ni Luh Putu Ayu", "KANIM-DPS-INTELDAKIM", R.OFFICER, "Analis Keimigrasian"
    ),
    PersonSpec(
        "petugas.dps3", "Komang Adi Putra", "KANIM-DPS-INTELDAKIM", R.OFFICER, "Analis Keimigrasian"
    ),
    PersonSpec(
        "kasi.jyp", "Yohanes Wenda", "KANIM-JYP-INTELDAKIM", R.LEADER, "Kepala Seksi Inteldakim"
    ),
    PersonSpec(
        "petugas.jyp1", "Markus Kogoya", "KANIM-JYP-INTELDAKIM", R.OFFICER, "Analis Keimigrasian"
    ),
    PersonSpec(
        "petugas.jyp2",
        "Fransiska Rumbiak",
        "KANIM-JYP-INTELDAKIM",
        R.OFFICER,
        "Analis Keimigrasian",
    ),
]


def demo_nip(index: int) -> str:
    """A plausible NIP: born 1985–1996, recruited at 24, male/female alternating."""
    birth = datetime.date(1985 + index % 12, 1 + index % 12, 1 + index % 28)
    return f"{birth:%Y%m%d}{birth.year + 24}{1 + index % 12:02d}{1 + index % 2}{index:03d}"


def seed_organisation() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
    for spec in UNITS:
        if spec.code in units:
            continue
        units[spec.code] = accounts.orgunit_create(
            by=None,
            kind=spec.kind,
            code=spec.code,
            name=spec.name,
            parent=units[spec.parent] if spec.parent else None,
            office_class=spec.office_class,
            is_tpi=spec.is_tpi,
            timezone_name=spec.timezone_name,
            report_deadline=spec.deadline,
            work_area_codes=list(spec.work_area),
        )
    return units


def seed_people(units: dict[str, OrgUnit]) -> dict[str, User]:
    existing = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in PEOPLE])
    }
    password_hash = None
    for index, spec in enumerate(PEOPLE, start=1):
        if spec.username in existing:
            continue
        password_hash = password_hash or make_password(DEMO_PASSWORD)
        user = accounts.user_create(
            by=None,
            username=spec.username,
            full_name=spec.full_name,
            password=None,
            nip="" if spec.agency else demo_nip(index),
            position=spec.position,
            agency=spec.agency,
            email=f"{spec.username}@demo.silahap.invalid",
            account_expires_on=datetime.date(2027, 12, 31) if spec.agency else None,
        )
        # One hash shared by every demo login keeps seeding fast; they share the password anyway.
        user.password = password_hash
        user.save(update_fields=["password"])
        accounts.membership_create(
            by=None,
            user=user,
            unit=units[spec.unit],
            role=spec.role,
            start_date=MEMBER_SINCE,
            is_acting=spec.acting,
        )
        existing[spec.username] = user
    return existing
