"""The warning columns kept on each person (the end of their latest permit, the office of their
latest check) stay equal to what their permits and checks say, through every write path, and
migration 0008 backfills them by the same rule."""

import datetime
import importlib
import uuid

import pytest
import time_machine
from django.apps import apps

from silahap.registry import warnings
from silahap.registry.models import ForeignNational, WarningDay
from silahap.registry.services import permit_add, person_create, person_merge
from silahap.registry.tests.import_helpers import PERSON_HEADER, confirm, csv_bytes, upload
from silahap.reports import services as reports
from silahap.reports.tests.factories import WIB, at, field_activity, place
from silahap.testing.warning_columns import from_scratch, stored

pytestmark = pytest.mark.django_db

# A Tuesday with no holiday.
TODAY = datetime.date(2025, 3, 11)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(12, day=TODAY, zone=WIB), tick=False):
        yield


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def foreigner(people, name, document, valid_until=None):
    return person_create(
        by=people.officer_a,
        full_name=name,
        nationality="AU",
        document_number=document,
        permit_type="ITAS" if valid_until else "",
        permit_valid_until=valid_until,
    ).person


def activity_at(officer, hour: int):
    return field_activity(
        by=officer,
        started_at=at(hour, day=TODAY, zone=WIB),
        place=place(by=officer, name=f"Hotel {uuid.uuid4().hex[:6]}"),
    )


def check(officer, activity, person):
    return reports.check_create(
        by=officer,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="physical_document",
        result="compliant",
    )


def test_every_write_path_keeps_the_columns_equal_to_a_computation_from_scratch(people):
    anna = foreigner(people, "Anna Kept", "P1000001", valid_until=days(10))
    bruno = foreigner(people, "Bruno Later", "P1000002")
    permit_add(by=people.officer_a, person=bruno, permit_type="ITK", valid_until=days(-5))
    permit_add(by=people.officer_a, person=anna, permit_type="ITAS", valid_until=days(200))
    # An older permit added afterwards does not make the person's latest permit end sooner.
    permit_add(by=people.officer_a, person=anna, permit_type="ITK", valid_until=days(3))
    assert stored()[anna.pk] == (days(200), None)

    morning_a, morning_b = activity_at(people.officer_a, 8), activity_at(people.officer_b, 9)
    check(people.officer_a, morning_a, anna)
    check(people.officer_b, morning_b, anna)
    assert stored()[anna.pk] == (days(200), people.office_b.pk)
    # A check on an earlier activity, recorded later, does not take the person over.
    check(people.officer_b, morning_b, bruno)
    check(people.officer_a, morning_a, bruno)
    assert stored()[bruno.pk] == (days(-5), people.office_b.pk)
    # Moving Tangerang's activity after Denpasar's makes it the latest check of both.
    reports.activity_update(
        by=people.officer_a,
        activity=morning_a,
        started_at=at(10, day=TODAY, zone=WIB),
        ended_at=at(10, 30, day=TODAY, zone=WIB),
    )
    assert stored()[anna.pk][1] == stored()[bruno.pk][1] == people.office_a.pk

    late_b = activity_at(people.officer_b, 11)
    carla = reports.check_create_for_new_person(
        by=people.officer_b,
        client_id=uuid.uuid4(),
        activity=late_b,
        person={
            "full_name": "Carla New",
            "nationality": "IT",
            "document_number": "YA1000003",
            "permit_type": "ITK",
            "permit_valid_until": days(20),
        },
        verification_method="physical_document",
        result="compliant",
    ).person
    assert stored()[carla.pk] == (days(20), people.office_b.pk)

    rows = [
        ["Dana Imported", "NL", "NX1000004", "", "F", "1990-01-01", "ITAS", "", days(25)],
        ["Anna Kept", "AU", "P1000001", "", "", "", "ITAP", "", days(900)],
    ]
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, rows))
    assert confirm(people.office_admin, job).status == "applied"
    dana = ForeignNational.objects.get(full_name="Dana Imported")
    assert stored()[dana.pk] == (days(25), None)
    assert stored()[anna.pk] == (days(900), people.office_a.pk)

    # Carla's record is Bruno's: the survivor takes her later check and longer permit.
    person_merge(by=people.leader_a, survivor=bruno, merged=carla)
    assert stored()[bruno.pk] == (days(20), people.office_b.pk)
    assert stored()[carla.pk] == (None, None)
    reports.activity_update(
        by=people.officer_b, activity=late_b, started_at=at(9, 30, day=TODAY, zone=WIB)
    )
    assert stored()[bruno.pk] == (days(20), people.office_a.pk)

    assert stored() == from_scratch()
    # Nothing left to correct, so a refresh of everyone writes no row.
    assert warnings.refresh_warning_columns() == 0
    # The per-office counts the triggers kept through all of it are a recount's.
    kept = set(
        WarningDay.objects.exclude(persons=0).values_list("office", "regency", "day", "persons")
    )
    warnings.rebuild_counts(on=TODAY)
    assert set(WarningDay.objects.values_list("office", "regency", "day", "persons")) == kept
    assert (people.office_a.pk, "", days(20), 1) in kept


def migration_backfill():
    return importlib.import_module("silahap.registry.migrations.0008_warning_columns").backfill


def test_the_migration_backfills_every_person_from_their_permits_and_checks(people):
    anna = foreigner(people, "Anna Backfilled", "P2000001", valid_until=days(-3))
    foreigner(people, "Bruno Unchecked", "P2000002", valid_until=days(40))
    foreigner(people, "Carla No Permit", "P2000003")
    permit_add(by=people.officer_a, person=anna, permit_type="ITK", valid_until=days(7))
    check(people.officer_b, activity_at(people.officer_b, 8), anna)
    check(people.officer_a, activity_at(people.officer_a, 9), anna)
    expected = from_scratch()
    ForeignNational._base_manager.update(permit_valid_until=None, last_check_office=None)
    assert set(stored().values()) == {(None, None)}

    migration_backfill()(apps, None)

    assert stored() == expected
    assert warnings.refresh_warning_columns([anna.pk]) == 0
    assert expected[anna.pk] == (days(7), people.office_a.pk)
