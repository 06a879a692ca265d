"""Each database constraint of accounts, broken on purpose with a direct ORM write.

orgunit_create, user_create and membership_create refuse these rows first; the tests bypass them
so that the database is shown to refuse them too, whatever writes next.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from silahap.accounts.models import Agency, Membership, OrgUnit, User
from silahap.testing.personas import Personas

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2025, 1, 1)
NIP = "198501012010121001"


def _unit(people: Personas, **fields) -> OrgUnit:
    values = {
        "parent": people.section_a,
        "office": people.office_a,
        "kind": "team",
        "code": "KI-TNG-TIM9",
        "name": "Tim 9 Tangerang",
        "path": f"{people.section_a.path}999/",
        "depth": people.section_a.depth + 1,
    }
    return OrgUnit.objects.create(**{**values, **fields})


def _user(**fields) -> User:
    return User.objects.create(**{"username": "uji", "full_name": "Petugas Uji", **fields})


def _membership(people: Personas, **fields) -> Membership:
    values = {"user": people.officer_a2, "unit": people.team_a, "role": "officer"}
    return Membership.objects.create(**{**values, "start_date": SINCE, **fields})


def _second_user_with_the_same_nip(people: Personas) -> None:
    _user(username="uji_1", nip=NIP)
    _user(username="uji_2", nip=NIP)


VIOLATIONS: dict[str, tuple[type[models.Model], Callable[[Personas], object]]] = {
    "orgunit_kind_valid": (OrgUnit, lambda p: _unit(p, kind="squad")),
    "orgunit_only_directorate_is_root": (
        OrgUnit,
        lambda p: _unit(p, parent=None, office=None, kind="regional_office", path="/999/"),
    ),
    "orgunit_office_has_class_and_deadline": (
        OrgUnit,
        lambda p: _unit(p, parent=p.kanwil_banten, kind="immigration_office", office_class="I"),
    ),
    "user_nip_unique": (User, _second_user_with_the_same_nip),
    "user_nip_digits": (User, lambda p: _user(nip="19850101201012100X")),
    "agency_has_code": (Agency, lambda p: Agency.objects.create(code="", short_name="X", name="X")),
    "membership_ends_after_start": (
        Membership,
        lambda p: _membership(p, end_date=SINCE - datetime.timedelta(days=1)),
    ),
    "membership_role_valid": (Membership, lambda p: _membership(p, role="observer")),
    "membership_only_leaders_act": (Membership, lambda p: _membership(p, is_acting=True)),
}


def _names_the_constraint(error: IntegrityError, model: type[models.Model], name: str) -> bool:
    """Whether the error came from this constraint rather than another (NOT NULL, a foreign key)."""
    message = str(error)
    if name in message:
        return True
    constraint = next(c for c in model._meta.constraints if c.name == name)
    if isinstance(constraint, models.UniqueConstraint):
        # SQLite names the columns of a unique index, not the index.
        table = model._meta.db_table
        columns = [model._meta.get_field(field).column for field in constraint.fields]
        return ", ".join(f"{table}.{column}" for column in columns) in message
    return False


def test_every_accounts_constraint_has_a_case():
    declared = {
        constraint.name
        for model in apps.get_app_config("accounts").get_models()
        for constraint in model._meta.constraints
    }
    assert declared == set(VIOLATIONS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_database_rejects_a_row_that_breaks(people, name):
    model, write = VIOLATIONS[name]
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write(people)
    assert _names_the_constraint(caught.value, model, name), str(caught.value)


def test_office_without_a_deadline_is_rejected(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit(
            people,
            parent=people.kanwil_banten,
            kind="immigration_office",
            office_class="II",
            report_deadline=None,
        )


def test_well_formed_units_are_accepted(people):
    team = _unit(people)
    office = _unit(
        people,
        parent=people.kanwil_bali,
        office=None,
        kind="immigration_office",
        code="KI-SGR",
        name="Kanim Singaraja",
        path=f"{people.kanwil_bali.path}998/",
        office_class="II",
        report_deadline=datetime.time(20, 0),
    )
    assert team.parent == people.section_a
    assert office.parent == people.kanwil_bali


def test_a_second_directorate_general_as_root_is_accepted_by_this_constraint(people):
    # Only the kind is checked at the root; one DG per installation is the services' rule.
    OrgUnit.objects.create(kind="directorate_general", code="DJI-2", name="Uji", path="/997/")


def test_users_without_nip_and_with_distinct_nips_are_accepted(people):
    _user(username="mitra_1", agency="polri")
    _user(username="mitra_2", agency="satpol_pp")
    _user(username="pegawai_1", nip=NIP)
    _user(username="pegawai_2", nip="198501012010122002")
    assert User.objects.filter(nip="").count() >= 2


def test_memberships_open_ended_one_day_and_acting_leader_are_accepted(people):
    _membership(people)
    _membership(people, end_date=SINCE)
    _membership(people, user=people.leader_a, unit=people.team_a, role="leader", is_acting=True)
