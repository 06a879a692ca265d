"""The permit warnings' per-office counts come from the counts the database keeps
(models_warnings: WarningDay, WarningMonth and WarningCount, kept by triggers on the persons),
and say exactly
what a recount of the warned persons says: after every kind of change to a person, on the day
they were kept for and on other days, after the daily move forward and after a full rebuild;
read in a fixed number of queries however many persons are warned."""

import datetime
import uuid
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silahap.registry import warning_triggers, warnings
from silahap.registry.models import (
    ForeignNational,
    Regency,
    WarningCount,
    WarningDay,
    WarningMonth,
)
from silahap.registry.services import permit_add, person_create, person_merge, person_update
from silahap.reports import services as reports
from silahap.reports.tests.factories import WIB, at, field_activity, place
from silahap.supervision.tests.helpers import explain

pytestmark = pytest.mark.django_db

# A Tuesday with no holiday; the database's own date (the triggers' as_of) is another day.
TODAY = datetime.date(2025, 3, 11)
# Reading days around TODAY: the counts are moved from their as_of both ways.
READ_ON = [TODAY, TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=45)]
READ_ON += [TODAY - datetime.timedelta(days=20)]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(12, day=TODAY, zone=WIB), tick=False):
        yield


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def foreigner(people, name, valid_until, regency="36.71"):
    person = person_create(
        by=people.officer_a,
        full_name=name,
        nationality="AU",
        document_number=f"P{uuid.uuid4().hex[:7].upper()}",
        permit_type="ITAS",
        permit_valid_until=valid_until,
    ).person
    if regency:
        person = person_update(
            by=people.officer_a, person=person, regency=Regency.objects.get(code=regency)
        )
    return person


def check(officer, person, hour):
    activity = field_activity(
        by=officer,
        started_at=at(hour, day=TODAY, zone=WIB),
        place=place(by=officer, name=f"Hotel {uuid.uuid4().hex[:6]}"),
    )
    reports.check_create(
        by=officer,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="physical_document",
        result="compliant",
    )


def recount(offices, on):
    """Each office's (expiring, overstay) counted person by person: the warned persons with
    the office each is attributed to (warnings.warned_persons), not the kept counts."""
    counted = Counter()
    for person in warnings.warned_persons(offices, on):
        kind = "overstay" if person.permit_valid_until < on else "expiring"
        counted[(person.warning_office_id, kind)] += 1
    return {
        office.pk: (counted[(office.pk, "expiring")], counted[(office.pk, "overstay")])
        for office in offices
    }


def kept(offices, on):
    return {
        row.office.pk: (row.expiring, row.overstay) for row in warnings.office_warnings(offices, on)
    }


def months_recount():
    """(office, regency, month) -> counted persons whose permit ends that month, person by
    person."""
    counted = Counter()
    for person in ForeignNational.objects.filter(
        merged_into__isnull=True, permit_valid_until__isnull=False
    ):
        if person.last_check_office_id:
            key = (person.last_check_office_id, "")
        elif person.regency_id:
            key = (0, person.regency_id)
        else:
            continue
        counted[(*key, person.permit_valid_until.replace(day=1))] += 1
    return dict(counted)


def months_kept():
    return {
        (office, regency, month): persons
        for office, regency, month, persons in WarningMonth.objects.exclude(persons=0).values_list(
            "office", "regency", "month", "persons"
        )
    }


def assert_kept_equals_recount(people):
    offices = [people.office_a, people.office_b]
    for on in READ_ON:
        assert kept(offices, on) == recount(offices, on), on
    assert months_kept() == months_recount()


def test_every_change_to_a_person_keeps_the_counts_equal_to_a_recount(people):
    anna = foreigner(people, "Anna Overstay", days(-3))
    bruno = foreigner(people, "Bruno Expiring", days(10), regency="51.71")
    carla = foreigner(people, "Carla Later", days(40))
    foreigner(people, "Dodi No Address", days(-1), regency="")
    assert kept([people.office_a], TODAY) == {people.office_a.pk: (0, 1)}
    assert kept([people.office_b], TODAY) == {people.office_b.pk: (1, 0)}
    assert_kept_equals_recount(people)

    # A permit renewed: the overstay is over.
    permit_add(by=people.officer_a, person=anna, permit_type="ITAS", valid_until=days(300))
    assert kept([people.office_a], TODAY) == {people.office_a.pk: (0, 0)}
    assert_kept_equals_recount(people)
    # A short renewal: expiring now.
    permit_add(by=people.officer_a, person=carla, permit_type="ITK", valid_until=days(40))
    permit_add(by=people.officer_a, person=bruno, permit_type="ITK", valid_until=days(20))
    assert_kept_equals_recount(people)

    # Checked by Tangerang: Bruno leaves Denpasar's address count for Tangerang's checks.
    check(people.officer_a, bruno, 9)
    assert kept([people.office_a, people.office_b], TODAY) == {
        people.office_a.pk: (1, 0),
        people.office_b.pk: (0, 0),
    }
    # Then by Denpasar, later in the day: Denpasar's again.
    check(people.officer_b, bruno, 11)
    assert kept([people.office_b], TODAY) == {people.office_b.pk: (1, 0)}
    assert_kept_equals_recount(people)

    # An unchecked person moves house to Denpasar.
    person_update(by=people.officer_a, person=carla, regency=Regency.objects.get(code="51.71"))
    assert_kept_equals_recount(people)

    # Merged: the merged record is no longer counted, the survivor once.
    evan = foreigner(people, "Evan Twin", days(-8))
    person_merge(by=people.leader_a, survivor=anna, merged=evan)
    assert_kept_equals_recount(people)

    # A row written and removed directly (a bulk load, an erasure), past every service.
    written = ForeignNational.objects.create(
        full_name="Gita Direct",
        nationality="AU",
        regency=Regency.objects.get(code="36.71"),
        permit_valid_until=days(-2),
    )
    assert_kept_equals_recount(people)
    written.delete()
    assert_kept_equals_recount(people)


def test_the_daily_move_forward_keeps_the_numbers_and_spares_the_days_query(
    people, django_assert_num_queries
):
    foreigner(people, "Ends Tomorrow", days(1))
    foreigner(people, "Ended Last Week", days(-7))
    foreigner(people, "Ends In A Month", days(31))
    offices = [people.office_a]
    before = {on: kept(offices, on) for on in READ_ON}
    warnings.rebuild_counts(on=TODAY)
    # Only forward: a job that runs late, or in a zone behind, leaves the rows as they are.
    assert warnings.advance_counts(days(-1)) == 0

    assert warnings.advance_counts(days(1)) == WarningCount.objects.count() > 0
    assert set(WarningCount.objects.values_list("as_of", flat=True)) == {days(1)}
    for on in READ_ON:
        assert kept(offices, on) == before[on] == recount(offices, on), on
    # Tomorrow, the permit ending then is still expiring and the one 31 days away has come in.
    assert before[days(1)] == {people.office_a.pk: (2, 1)}
    regencies = warnings.area_offices([people.office_a.pk])
    with django_assert_num_queries(1):  # the counts moved to that day: no day rows to read
        warnings.office_warnings(offices, days(1), regencies)
    assert warnings.advance_counts(days(1)) == 0
    # A permit renewed after the move counts against the new day.
    renewed = ForeignNational.objects.get(full_name="Ended Last Week")
    permit_add(by=people.officer_a, person=renewed, permit_type="ITK", valid_until=days(2))
    assert kept(offices, days(1)) == recount(offices, days(1)) == {people.office_a.pk: (3, 0)}


def test_a_rebuild_recounts_the_same_rows_the_triggers_kept(people):
    anna = foreigner(people, "Anna", days(-3))
    foreigner(people, "Bruno", days(10), regency="51.71")
    check(people.officer_b, anna, 9)
    permit_add(by=people.officer_a, person=anna, permit_type="ITK", valid_until=days(5))
    by_triggers = set(
        WarningDay.objects.exclude(persons=0).values_list("office", "regency", "day", "persons")
    )
    counted = {on: kept([people.office_a, people.office_b], on) for on in READ_ON}
    months = months_kept()
    assert months == months_recount()

    warnings.rebuild_counts(on=TODAY)

    assert set(WarningDay.objects.values_list("office", "regency", "day", "persons")) == by_triggers
    assert (
        dict(
            ((office, regency, month), persons)
            for office, regency, month, persons in WarningMonth.objects.values_list(
                "office", "regency", "month", "persons"
            )
        )
        == months
    )
    assert (people.office_b.pk, "", days(5), 1) in by_triggers
    for on in READ_ON:
        assert kept([people.office_a, people.office_b], on) == counted[on]


@pytest.mark.parametrize("persons", [4, 40])
def test_the_office_counts_take_the_same_queries_at_any_size(
    people, django_assert_max_num_queries, persons
):
    """The offices' regencies, their count rows, the days since the rows' as_of."""
    for n in range(persons):
        foreigner(people, f"Person {n:03}", days(n % 60 - 30), regency=("36.71", "51.71")[n % 2])
    offices = [people.office_a, people.office_b]
    with django_assert_max_num_queries(3):
        counted = kept(offices, TODAY)
    assert counted == recount(offices, TODAY)
    assert sum(expiring + overstay for expiring, overstay in counted.values()) == persons


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_office_counts_never_read_the_persons(people):
    foreigner(people, "Addressed", days(3))
    with CaptureQueriesContext(connection) as captured:
        warnings.office_warnings([people.office_a], TODAY)
    queries = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in queries if "registry_foreignnational" in sql]
    for plan in explain([sql for sql in queries if "registry_warning" in sql]):
        assert "Seq Scan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds a table to alter it")
def test_triggers_a_table_rebuild_dropped_are_put_back_and_the_counts_recounted(people):
    anna = foreigner(people, "Anna", days(-3))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER registry_warning_tally_change")
    # Unseen while the trigger is gone: the renewal leaves the counts behind.
    permit_add(by=people.officer_a, person=anna, permit_type="ITAS", valid_until=days(100))
    assert kept([people.office_a], TODAY) != recount([people.office_a], TODAY)

    assert warning_triggers.repair(connection)

    assert not warning_triggers.repair(connection)
    assert_kept_equals_recount(people)
    permit_add(by=people.officer_a, person=anna, permit_type="ITK", valid_until=days(200))
    foreigner(people, "Bruno", days(-1))
    assert_kept_equals_recount(people)


def test_one_statement_over_many_persons_moves_the_counts_once_each(people):
    for n in range(12):
        foreigner(people, f"Bulk {n:02}", days(n * 6 - 36))
    checked_one = ForeignNational.objects.get(full_name="Bulk 00")
    check(people.officer_b, checked_one, 9)
    # Half move house to Denpasar, all in one UPDATE; then one that changes nothing counted.
    moved = ForeignNational.objects.filter(full_name__startswith="Bulk", pk__gt=checked_one.pk)
    assert moved.filter(pk__in=moved.values("pk")[:6]).update(regency="51.71") == 6
    assert_kept_equals_recount(people)
    assert ForeignNational.objects.filter(full_name__startswith="Bulk").update(occupation="x") == 12
    assert_kept_equals_recount(people)
    others = ForeignNational.objects.filter(full_name__startswith="Bulk").exclude(pk=checked_one.pk)
    assert others.update(merged_into=checked_one) == 11
    assert_kept_equals_recount(people)
    assert kept([people.office_a], TODAY) == {people.office_a.pk: (0, 0)}
    assert sum(sum(pair) for pair in kept([people.office_b], TODAY).values()) == 1
