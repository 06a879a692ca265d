import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.accounts import services as accounts
from silahap.accounts.models import OrgUnit
from silahap.reports import services
from silahap.reports.models import Activity, DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, WIB, WIT, WITA, at, audit_records

pytestmark = pytest.mark.django_db

NEXT_DAY = DAY + datetime.timedelta(days=1)


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def officer_c(people):
    """An officer of an office in WIT (Jayapura), two hours ahead of WIB."""
    kanwil_papua = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.REGIONAL_OFFICE,
        code="KW-PAPUA",
        name="Kanwil Papua",
        parent=people.dg,
    )
    return factories.officer_in_new_office(
        code="KI-JPR", timezone_name="Asia/Jayapura", parent=kanwil_papua
    )


def test_the_first_activity_of_the_day_opens_the_report_with_one_audit_event(people, place):
    client_id = uuid.uuid4()
    with time_machine.travel(at(10, 0), tick=False), audit_records("activity.create"):
        activity = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, client_id=client_id
        )
    assert activity.client_id == client_id
    assert activity.report.officer == people.officer_a
    assert activity.report.report_date == DAY
    assert activity.report.status == DailyReport.Status.DRAFT
    assert activity.place == place


def test_later_activities_join_the_same_report(people, place):
    with time_machine.travel(at(16, 0), tick=False):
        morning = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)
        with audit_records("activity.create"):
            afternoon = factories.admin_activity(by=people.officer_a, started_at=at(14, 0))
    assert afternoon.report_id == morning.report_id
    assert DailyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("started_at", "expected_day"),
    [
        (at(23, 59, zone=WIB), DAY),
        (at(0, 0, day=NEXT_DAY, zone=WIB), NEXT_DAY),
        (at(0, 30, day=NEXT_DAY, zone=WITA), DAY),
    ],
    ids=["one-minute-before-midnight", "at-midnight", "00:30-WITA-is-23:30-WIB"],
)
def test_an_activity_belongs_to_the_day_it_started_in_the_office_zone_wib(
    people, place, started_at, expected_day
):
    with time_machine.travel(at(8, 0, day=NEXT_DAY), tick=False):
        activity = factories.field_activity(by=people.officer_a, started_at=started_at, place=place)
    assert activity.report.report_date == expected_day


@pytest.mark.parametrize(
    ("officer", "expected_day"),
    [("officer_a", DAY), ("officer_b", NEXT_DAY), ("officer_c", NEXT_DAY)],
    ids=["WIB", "WITA", "WIT"],
)
def test_one_moment_falls_on_different_days_in_wib_wita_and_wit(
    people, place, officer_c, officer, expected_day
):
    # 23:30 WIB = 00:30 WITA = 01:30 WIT on the next day.
    user = officer_c if officer == "officer_c" else people.by_name(officer)
    with time_machine.travel(at(8, 0, day=NEXT_DAY), tick=False):
        activity = factories.field_activity(by=user, started_at=at(23, 30, zone=WIB), place=place)
    assert activity.report.report_date == expected_day


def test_an_activity_that_runs_past_midnight_stays_on_the_day_it_started(people, place):
    with time_machine.travel(at(8, 0, day=NEXT_DAY), tick=False):
        activity = factories.field_activity(
            by=people.officer_a,
            started_at=at(22, 0),
            ended_at=at(2, 0, day=NEXT_DAY),
            place=place,
        )
    assert activity.report.report_date == DAY


def test_the_wit_office_starts_its_day_two_hours_before_wib(people, place, officer_c):
    with time_machine.travel(at(8, 0, day=NEXT_DAY), tick=False):
        before = factories.field_activity(
            by=officer_c, started_at=at(23, 59, zone=WIT), place=place
        )
        after = factories.field_activity(
            by=officer_c, started_at=at(0, 0, day=NEXT_DAY, zone=WIT), place=place
        )
    assert before.report.report_date == DAY
    assert after.report.report_date == NEXT_DAY
    assert before.report_id != after.report_id


def test_an_activity_from_yesterday_goes_to_yesterdays_report_not_todays(people, place):
    with time_machine.travel(at(10, 0, day=NEXT_DAY), tick=False):
        today = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0, day=NEXT_DAY), place=place
        )
        yesterday = factories.field_activity(by=people.officer_a, started_at=at(21, 0), place=place)
    assert today.report.report_date == NEXT_DAY
    assert yesterday.report.report_date == DAY


def test_a_retried_create_with_the_same_client_id_creates_nothing_twice(people, place):
    client_id = uuid.uuid4()
    with time_machine.travel(at(10, 0), tick=False):
        first = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, client_id=client_id
        )
        with audit_records():
            again = factories.field_activity(
                by=people.officer_a, started_at=at(9, 5), place=place, client_id=client_id
            )
    assert again.pk == first.pk
    assert again.started_at == at(9, 0)
    assert Activity.objects.count() == 1
    assert DailyReport.objects.count() == 1


def test_a_client_id_of_someone_elses_activity_is_refused(people, place):
    client_id = uuid.uuid4()
    with time_machine.travel(at(10, 0), tick=False):
        factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, client_id=client_id
        )
        with audit_records(), pytest.raises(PermissionDenied):
            factories.field_activity(
                by=people.officer_a2, started_at=at(9, 0), place=place, client_id=client_id
            )
    assert not DailyReport.objects.filter(officer=people.officer_a2).exists()


@pytest.mark.parametrize("name", ["analyst", "partner", "office_admin"])
def test_someone_who_does_not_report_cannot_add_an_activity(people, place, name):
    with (
        time_machine.travel(at(10, 0), tick=False),
        audit_records(),
        pytest.raises(PermissionDenied),
    ):
        factories.field_activity(by=people.by_name(name), started_at=at(9, 0), place=place)
    assert not Activity.objects.exists()


def test_an_activity_cannot_be_added_to_a_submitted_report(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        factories.submitted_report(by=people.officer_a, started_at=at(8, 0), at_place=place)
        with audit_records(), pytest.raises(ValidationError):
            factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)
    assert Activity.objects.count() == 1


def test_an_activity_cannot_be_added_to_an_approved_report(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        report = factories.approved_report(
            by=people.officer_a, leader=people.leader_a, started_at=at(8, 0), at_place=place
        )
        with audit_records(), pytest.raises(ValidationError):
            factories.admin_activity(by=people.officer_a, started_at=at(9, 0))
    assert report.activities.count() == 1


def test_a_submitted_report_of_yesterday_does_not_stop_activities_today(people, place):
    with time_machine.travel(at(10, 0, day=NEXT_DAY), tick=False):
        factories.submitted_report(by=people.officer_a, started_at=at(8, 0), at_place=place)
        activity = factories.admin_activity(by=people.officer_a, started_at=at(9, 0, day=NEXT_DAY))
    assert activity.report.report_date == NEXT_DAY
    assert activity.report.status == DailyReport.Status.DRAFT


def test_adding_an_activity_to_a_returned_report_makes_it_a_draft_again(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        report = factories.submitted_report(
            by=people.officer_a, started_at=at(8, 0), at_place=place
        )
        services.report_return(report=report, by=people.leader_a, reason="Add the afternoon.")
        activity = factories.admin_activity(by=people.officer_a, started_at=at(14, 0))
    report.refresh_from_db()
    assert activity.report_id == report.pk
    assert report.status == DailyReport.Status.DRAFT
    assert report.return_reason == "Add the afternoon."


def test_an_activity_cannot_end_before_it_starts(people, place):
    with (
        time_machine.travel(at(10, 0), tick=False),
        audit_records(),
        pytest.raises(ValidationError) as error,
    ):
        factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), ended_at=at(8, 59), place=place
        )
    assert "ended_at" in error.value.message_dict
    assert not Activity.objects.exists()
    assert not DailyReport.objects.exists()


def test_an_activity_may_end_when_it_starts_or_be_left_open(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        instant = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), ended_at=at(9, 0), place=place
        )
        ongoing = factories.field_activity(
            by=people.officer_a, started_at=at(9, 30), ended_at=None, place=place
        )
    assert instant.ended_at == instant.started_at
    assert ongoing.ended_at is None


def test_an_unknown_kind_or_source_is_refused(people, place):
    with time_machine.travel(at(10, 0), tick=False), audit_records():
        with pytest.raises(ValidationError) as error:
            factories.field_activity(
                by=people.officer_a, started_at=at(9, 0), place=place, kind="social_visit"
            )
        assert "kind" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            factories.field_activity(
                by=people.officer_a, started_at=at(9, 0), place=place, source="rumour"
            )
        assert "source" in error.value.message_dict


def test_warrant_to_follow_clears_a_warrant_number_given_with_it(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(
            by=people.officer_a,
            started_at=at(9, 0),
            place=place,
            warrant_to_follow=True,
            warrant_number="W-9/2025",
        )
    assert activity.warrant_to_follow
    assert activity.warrant_number == ""
    assert activity.warrant_date is None


def test_the_gps_point_is_stored_to_six_decimals_and_text_is_trimmed(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(
            by=people.officer_a,
            started_at=at(9, 0),
            place=place,
            latitude=-6.1783456789,
            longitude="106.6318",
            location_accuracy_m=12,
            location_source="gps",
            description="  Checked the register.  ",
        )
    activity.refresh_from_db()
    assert str(activity.latitude) == "-6.178346"
    assert str(activity.longitude) == "106.631800"
    assert activity.description == "Checked the register."


def test_a_point_off_the_globe_is_refused(people, place):
    with (
        time_machine.travel(at(10, 0), tick=False),
        audit_records(),
        pytest.raises(ValidationError),
    ):
        factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, latitude=95, longitude=106
        )
