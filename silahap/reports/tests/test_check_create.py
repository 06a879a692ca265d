import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import post_init

from silahap.reports import services
from silahap.reports.models import Check, DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(12, 0), tick=False):
        yield


@pytest.fixture
def activity(people):
    place = factories.place(by=people.officer_a)
    return factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)


@pytest.fixture
def foreigner(people):
    return factories.person(by=people.officer_a)


def check(by, activity, person, **extra):
    values = {
        "client_id": uuid.uuid4(),
        "verification_method": Check.Method.PERMIT_QR,
        "result": Check.Result.COMPLIANT,
    }
    values.update(extra)
    return services.check_create(by=by, activity=activity, person=person, **values)


def test_the_author_records_a_check_with_one_audit_event(people, activity, foreigner):
    permit = foreigner.permits.get()
    with audit_records("check.create"):
        recorded = check(
            people.officer_a,
            activity,
            foreigner,
            permit=permit,
            activity_observed="  Working as a chef  ",
            matches_permit=False,
            result=Check.Result.FINDING,
        )
    recorded.refresh_from_db()
    assert recorded.activity == activity
    assert recorded.person == foreigner
    assert recorded.permit == permit
    assert recorded.activity_observed == "Working as a chef"
    assert recorded.matches_permit is False
    assert recorded.result == Check.Result.FINDING


def test_a_retried_check_with_the_same_client_id_is_recorded_once(people, activity, foreigner):
    client_id = uuid.uuid4()
    first = check(people.officer_a, activity, foreigner, client_id=client_id)
    with audit_records():
        again = check(people.officer_a, activity, foreigner, client_id=client_id)
    assert again.pk == first.pk
    assert Check.objects.count() == 1


def test_a_client_id_of_someone_elses_check_is_refused(people, activity, foreigner):
    client_id = uuid.uuid4()
    check(people.officer_a, activity, foreigner, client_id=client_id)
    with audit_records(), pytest.raises(PermissionDenied):
        check(people.officer_a2, activity, foreigner, client_id=client_id)


def test_the_same_person_is_checked_once_per_activity(people, activity, foreigner):
    check(people.officer_a, activity, foreigner)
    with audit_records(), pytest.raises(ValidationError) as error:
        check(people.officer_a, activity, foreigner)
    assert "person" in error.value.message_dict
    assert Check.objects.count() == 1


def test_a_rival_save_of_the_same_person_between_test_and_insert_is_refused_not_a_crash(
    people, activity, foreigner
):
    """The window a second tap can hit where nothing serialises the two (SQLite): the rival row
    is written after the "already checked" test passed, as the new check is built."""

    def rival(sender, instance, **kwargs):
        post_init.disconnect(rival, sender=Check)
        Check.objects.bulk_create(
            [
                Check(
                    activity=activity,
                    person=foreigner,
                    client_id=uuid.uuid4(),
                    result="compliant",
                    verification_method=instance.verification_method,
                )
            ]
        )

    post_init.connect(rival, sender=Check)
    try:
        with pytest.raises(ValidationError) as error:
            check(people.officer_a, activity, foreigner)
    finally:
        post_init.disconnect(rival, sender=Check)
    # Refused beside the person field (the rival, written inside this test's transaction, goes
    # with its rollback; in life it is another request's committed row).
    assert "person" in error.value.message_dict


def test_the_same_person_may_be_checked_again_in_another_activity(people, activity, foreigner):
    later = factories.admin_activity(by=people.officer_a, started_at=at(11, 0))
    check(people.officer_a, activity, foreigner)
    check(people.officer_a, later, foreigner)
    assert Check.objects.filter(person=foreigner).count() == 2


def test_a_permit_of_another_person_is_refused(people, activity, foreigner):
    other = factories.person(by=people.officer_a, name="Jane Doe", document="P7654321")
    with audit_records(), pytest.raises(ValidationError) as error:
        check(people.officer_a, activity, foreigner, permit=other.permits.get())
    assert "permit" in error.value.message_dict


@pytest.mark.parametrize("name", ["officer_a2", "officer_b", "leader_a", "analyst"])
def test_nobody_but_the_author_records_a_check(people, activity, foreigner, name):
    with audit_records(), pytest.raises(PermissionDenied):
        check(people.by_name(name), activity, foreigner)
    assert not Check.objects.exists()


def test_no_check_is_added_to_a_submitted_report(people, activity, foreigner):
    services.report_submit(report=activity.report, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        check(people.officer_a, activity, foreigner)
    assert not Check.objects.exists()


def test_no_check_is_added_to_an_approved_report(people, activity, foreigner):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_approve(report=activity.report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        check(people.officer_a, activity, foreigner)
    assert not Check.objects.exists()


def test_a_check_added_to_a_returned_report_makes_it_a_draft(people, activity, foreigner):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_return(report=activity.report, by=people.leader_a, reason="Who was there?")
    check(people.officer_a, activity, foreigner)
    assert DailyReport.objects.get(pk=activity.report_id).status == DailyReport.Status.DRAFT


@pytest.mark.parametrize(
    ("field", "value"), [("result", "arrested"), ("verification_method", "guess")]
)
def test_an_unknown_result_or_verification_method_is_refused(
    people, activity, foreigner, field, value
):
    with audit_records(), pytest.raises(ValidationError) as error:
        check(people.officer_a, activity, foreigner, **{field: value})
    assert field in error.value.message_dict


def new_person_check(by, activity, client_id):
    return services.check_create_for_new_person(
        by=by,
        client_id=client_id,
        activity=activity,
        person={"full_name": "Li Wei", "nationality": "CN", "document_number": "E1234567"},
        verification_method=Check.Method.PHYSICAL_DOCUMENT,
        result=Check.Result.COMPLIANT,
    )


def test_a_retried_check_of_a_new_person_registers_and_records_once(people, activity):
    client_id = uuid.uuid4()
    first = new_person_check(people.officer_a, activity, client_id)
    with audit_records():
        again = new_person_check(people.officer_a, activity, client_id)
    assert again.pk == first.pk
    assert first.person.full_name == "Li Wei"


def test_a_client_id_of_someone_elses_check_of_a_new_person_is_refused(people, activity):
    client_id = uuid.uuid4()
    new_person_check(people.officer_a, activity, client_id)
    with audit_records(), pytest.raises(PermissionDenied):
        new_person_check(people.officer_b, activity, client_id)
