"""The named people every test talks about, built through the services like real data."""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass

from django.apps import apps as django_apps

from silahap.accounts import services as accounts
from silahap.accounts.models import Agency, Membership, OrgUnit, User
from silahap.areas.loading import load_areas
from silahap.areas.models import District, Province, Regency, Village
from silahap.reports.models import ViolationType

PASSWORD = "Uji-Coba-SiLAHAP-2026"
SINCE = datetime.date(2024, 1, 1)
K = OrgUnit.Kind
R = Membership.Role


@dataclass
class Personas:
    dg: OrgUnit
    kanwil_banten: OrgUnit
    office_a: OrgUnit
    section_a: OrgUnit
    team_a: OrgUnit
    kanwil_bali: OrgUnit
    office_b: OrgUnit
    section_b: OrgUnit
    officer_a: User
    officer_a2: User
    leader_a: User
    head_a: User
    officer_b: User
    leader_b: User
    analyst: User
    analyst_national: User
    partner: User
    office_admin: User
    partner_satpolpp: User
    partner_disnaker: User
    partner_bnn: User
    partner_b: User

    @property
    def partner_polri(self) -> User:
        """The original partner persona is Polri's member at office A."""
        return self.partner

    def by_name(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def _unit(code, name, kind, parent=None, **office) -> OrgUnit:
    return accounts.orgunit_create(
        by=None, kind=kind, code=code, name=name, parent=parent, **office
    )


def _person(username: str, unit: OrgUnit, role: str, agency: str = "") -> User:
    user = accounts.user_create(
        by=None,
        username=username,
        full_name=username.replace("_", " ").title(),
        password=PASSWORD,
        agency=agency,
        account_expires_on=datetime.date(2099, 12, 31) if agency else None,
    )
    accounts.membership_create(by=None, user=user, unit=unit, role=role, start_date=SINCE)
    return user


TEST_PROVINCES = {"36", "51"}
SEEDS = [
    ("silahap.reports.migrations.0002_violation_types", "seed_violation_types"),
    ("silahap.registry.migrations.0003_visa_indexes", "seed_visa_indexes"),
]
AGENCY_SEED = ("silahap.accounts.migrations.0004_agency_table", "seed_agencies")


AREA_MODELS = (Province, Regency, District, Village)
# This process's copy of the test areas' rows, to put back after a flush without reading the
# national files again (reading them is most of a load: ~1.4 s after each transactional test).
_area_rows: dict[type, list[dict]] = {}


def ensure_test_areas() -> None:
    """Banten and Bali's areas and the seeded reference tables: once per session, and again
    after a transactional test (browser, concurrency) has flushed every table."""
    if not Regency.objects.filter(code="51.71").exists():
        if _area_rows:
            for model in AREA_MODELS:
                model.objects.bulk_create([model(**row) for row in _area_rows[model]])
        else:
            load_areas(TEST_PROVINCES)
    if not _area_rows:
        for model in AREA_MODELS:
            rows = model.objects.values()
            _area_rows[model] = [row for row in rows if row["code"][:2] in TEST_PROVINCES]
    if not ViolationType.objects.exists():
        for module, function in SEEDS:
            getattr(importlib.import_module(module), function)(django_apps, None)
    if not Agency.objects.exists():
        module, function = AGENCY_SEED
        getattr(importlib.import_module(module), function)(django_apps, None)


UNIT_CODES = {
    "dg": "DJI",
    "kanwil_banten": "KW-BTN",
    "office_a": "KI-TNG",
    "section_a": "KI-TNG-INTEL",
    "team_a": "KI-TNG-TIM1",
    "kanwil_bali": "KW-BALI",
    "office_b": "KI-DPS",
    "section_b": "KI-DPS-INTEL",
}
USERNAMES = [
    "officer_a",
    "officer_a2",
    "leader_a",
    "head_a",
    "officer_b",
    "leader_b",
    "analyst",
    "analyst_national",
    "partner",
    "office_admin",
    "partner_satpolpp",
    "partner_disnaker",
    "partner_bnn",
    "partner_b",
]
# The four partner agencies of a Timpora at office A (polri is `partner`), and Polri at office B.
PARTNERS_A = {
    "partner": "polri",
    "partner_satpolpp": "satpol_pp",
    "partner_disnaker": "disnaker",
    "partner_bnn": "bnn",
}


def load_personas() -> Personas | None:
    """The personas already in the database, as fresh instances (two queries), or None."""
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=UNIT_CODES.values())}
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    if len(units) != len(UNIT_CODES) or len(users) != len(USERNAMES):
        return None
    return Personas(
        **{name: units[code] for name, code in UNIT_CODES.items()},
        **{username: users[username] for username in USERNAMES},
    )


def build_personas() -> Personas:
    ensure_test_areas()
    dg = _unit("DJI", "Direktorat Jenderal Imigrasi", K.DIRECTORATE_GENERAL)
    kanwil_banten = _unit("KW-BTN", "Kanwil Banten", K.REGIONAL_OFFICE, dg)
    office_a = _unit(
        "KI-TNG",
        "Kanim Tangerang",
        K.IMMIGRATION_OFFICE,
        kanwil_banten,
        office_class="I_khusus",
        timezone_name="Asia/Jakarta",
        report_deadline=datetime.time(20, 0),
        work_area_codes=["36.71", "36.03", "36.74"],
    )
    section_a = _unit("KI-TNG-INTEL", "Seksi Inteldakim Tangerang", K.SECTION, office_a)
    team_a = _unit("KI-TNG-TIM1", "Tim 1 Tangerang", K.TEAM, section_a)
    kanwil_bali = _unit("KW-BALI", "Kanwil Bali", K.REGIONAL_OFFICE, dg)
    office_b = _unit(
        "KI-DPS",
        "Kanim Denpasar",
        K.IMMIGRATION_OFFICE,
        kanwil_bali,
        office_class="I_khusus",
        timezone_name="Asia/Makassar",
        report_deadline=datetime.time(20, 0),
        work_area_codes=["51.71"],
    )
    section_b = _unit("KI-DPS-INTEL", "Seksi Inteldakim Denpasar", K.SECTION, office_b)
    return Personas(
        dg=dg,
        kanwil_banten=kanwil_banten,
        office_a=office_a,
        section_a=section_a,
        team_a=team_a,
        kanwil_bali=kanwil_bali,
        office_b=office_b,
        section_b=section_b,
        officer_a=_person("officer_a", team_a, R.OFFICER),
        officer_a2=_person("officer_a2", team_a, R.OFFICER),
        leader_a=_person("leader_a", section_a, R.LEADER),
        head_a=_person("head_a", office_a, R.LEADER),
        officer_b=_person("officer_b", section_b, R.OFFICER),
        leader_b=_person("leader_b", section_b, R.LEADER),
        analyst=_person("analyst", kanwil_banten, R.ANALYST),
        analyst_national=_person("analyst_national", dg, R.ANALYST),
        partner=_person("partner", office_a, R.PARTNER, agency="polri"),
        office_admin=_person("office_admin", office_a, R.ADMIN),
        partner_satpolpp=_person("partner_satpolpp", office_a, R.PARTNER, agency="satpol_pp"),
        partner_disnaker=_person("partner_disnaker", office_a, R.PARTNER, agency="disnaker"),
        partner_bnn=_person("partner_bnn", office_a, R.PARTNER, agency="bnn"),
        partner_b=_person("partner_b", office_b, R.PARTNER, agency="polri"),
    )
