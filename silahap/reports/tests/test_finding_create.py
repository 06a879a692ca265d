import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.reports import services
from silahap.reports.models import Check, DailyReport, Finding
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(12, 0), tick=False):
        yield


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def activity(people, place):
    return factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)


@pytest.fixture
def foreigner(people):
    return factories.person(by=people.officer_a)


@pytest.fixture
def overstay():
    return factories.violation_type("test_overstay")


def checked(people, activity, person):
    return services.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method=Check.Method.SYSTEM_LOOKUP,
        result=Check.Result.FINDING,
    )


def finding(by, activity, violation_type, **extra):
    return services.finding_create(
        by=by,
        client_id=extra.pop("client_id", None) or uuid.uuid4(),
        activity=activity,
        violation_type=violation_type,
        **extra,
    )


def test_a_finding_from_a_check_names_the_checked_person(people, activity, foreigner, overstay):
    check = checked(people, activity, foreigner)
    with audit_records("finding.create"):
        recorded = finding(
            people.officer_a,
            activity,
            overstay,
            check=check,
            overstay_days=75,
            description="  Permit ended in January.  ",
        )
    recorded.refresh_from_db()
    assert recorded.check_record == check
    assert recorded.person == foreigner
    assert recorded.overstay_days == 75
    assert recorded.description == "Permit ended in January."


def test_a_finding_may_name_a_person_without_a_check(people, activity, foreigner, overstay):
    recorded = finding(people.officer_a, activity, overstay, person=foreigner)
    assert recorded.person == foreigner
    assert recorded.check_record is None


def test_a_finding_may_name_nobody(people, activity, overstay):
    recorded = finding(
        people.officer_a, activity, overstay, description="Sponsor not at the address."
    )
    assert recorded.person is None


def test_a_retried_finding_with_the_same_client_id_is_recorded_once(people, activity, overstay):
    client_id = uuid.uuid4()
    first = finding(people.officer_a, activity, overstay, client_id=client_id)
    with audit_records():
        again = finding(people.officer_a, activity, overstay, client_id=client_id)
    assert again.pk == first.pk
    assert Finding.objects.count() == 1


def test_a_client_id_of_someone_elses_finding_is_refused(people, activity, overstay):
    client_id = uuid.uuid4()
    finding(people.officer_a, activity, overstay, client_id=client_id)
    with audit_records(), pytest.raises(PermissionDenied):
        finding(people.officer_b, activity, overstay, client_id=client_id)


def test_a_check_from_another_activity_is_refused(people, activity, foreigner, overstay):
    other_activity = factories.admin_activity(by=people.officer_a, started_at=at(11, 0))
    check = checked(people, other_activity, foreigner)
    with audit_records(), pytest.raises(ValidationError) as error:
        finding(people.officer_a, activity, overstay, check=check)
    assert "check" in error.value.message_dict


def test_a_person_other_than_the_checked_one_is_refused(people, activity, foreigner, overstay):
    other = factories.person(by=people.officer_a, name="Jane Doe", document="P7654321")
    check = checked(people, activity, foreigner)
    with audit_records(), pytest.raises(ValidationError) as error:
        finding(people.officer_a, activity, overstay, check=check, person=other)
    assert "person" in error.value.message_dict


@pytest.mark.parametrize("name", ["officer_a2", "leader_a", "head_a", "analyst"])
def test_nobody_but_the_author_records_a_finding(people, activity, overstay, name):
    with audit_records(), pytest.raises(PermissionDenied):
        finding(people.by_name(name), activity, overstay)
    assert not Finding.objects.exists()


def test_no_finding_is_added_to_a_submitted_report(people, activity, overstay):
    services.report_submit(report=activity.report, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        finding(people.officer_a, activity, overstay)


def test_no_finding_is_added_to_an_approved_report(people, activity, overstay):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_approve(report=activity.report, by=people.head_a)
    with audit_records(), pytest.raises(ValidationError):
        finding(people.officer_a, activity, overstay)
    assert not Finding.objects.exists()


def test_a_finding_added_to_a_returned_report_makes_it_a_draft(people, activity, overstay):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_return(report=activity.report, by=people.leader_a, reason="Any findings?")
    finding(people.officer_a, activity, overstay)
    assert DailyReport.objects.get(pk=activity.report_id).status == DailyReport.Status.DRAFT
