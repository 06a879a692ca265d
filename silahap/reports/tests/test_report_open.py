import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership
from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.tests.factories import DAY, WIB, at, audit_records

pytestmark = pytest.mark.django_db


def test_an_officer_opens_todays_report_as_a_draft(people):
    with time_machine.travel(at(9, 0), tick=False), audit_records("report.open"):
        report = services.report_open(officer=people.officer_a)
    assert report.report_date == DAY
    assert report.officer == people.officer_a
    assert report.unit == people.team_a
    assert report.status == DailyReport.Status.DRAFT
    assert report.revision_number == 0
    assert report.first_submitted_at is None


@pytest.mark.parametrize(
    ("officer", "expected_day"),
    [("officer_a", DAY), ("officer_b", DAY + datetime.timedelta(days=1))],
)
def test_today_is_the_day_in_the_officers_office_zone(people, officer, expected_day):
    # 23:30 WIB is already 00:30 the next day in WITA (Denpasar).
    with time_machine.travel(at(23, 30, zone=WIB), tick=False):
        report = services.report_open(officer=people.by_name(officer))
    assert report.report_date == expected_day


def test_opening_the_same_day_twice_gives_the_same_report_and_no_second_event(people):
    with time_machine.travel(at(9, 0), tick=False):
        first = services.report_open(officer=people.officer_a)
        with audit_records():
            second = services.report_open(officer=people.officer_a)
    assert second.pk == first.pk
    assert DailyReport.objects.filter(officer=people.officer_a).count() == 1


def test_an_officer_opens_the_report_of_an_earlier_day(people):
    yesterday = DAY - datetime.timedelta(days=1)
    with time_machine.travel(at(9, 0), tick=False):
        earlier = services.report_open(officer=people.officer_a, day=yesterday)
        today = services.report_open(officer=people.officer_a)
    assert earlier.report_date == yesterday
    assert today.report_date == DAY
    assert earlier.pk != today.pk


def test_two_officers_each_have_their_own_report_for_the_same_day(people):
    with time_machine.travel(at(9, 0), tick=False):
        mine = services.report_open(officer=people.officer_a)
        theirs = services.report_open(officer=people.officer_a2)
    assert mine.pk != theirs.pk


def test_a_leader_reports_from_the_unit_they_lead(people):
    with time_machine.travel(at(9, 0), tick=False):
        report = services.report_open(officer=people.leader_a)
    assert report.unit == people.section_a


@pytest.mark.parametrize("name", ["analyst", "analyst_national", "partner", "office_admin"])
def test_someone_with_no_officer_or_leader_role_has_no_report_to_open(people, name):
    with (
        time_machine.travel(at(9, 0), tick=False),
        audit_records(),
        pytest.raises(PermissionDenied),
    ):
        services.report_open(officer=people.by_name(name))
    assert not DailyReport.objects.exists()


def test_an_officer_whose_membership_ended_has_no_report_to_open(people):
    membership = Membership.objects.get(user=people.officer_a)
    accounts.membership_end(by=None, membership=membership, end_date=DAY - datetime.timedelta(1))
    with (
        time_machine.travel(at(9, 0), tick=False),
        audit_records(),
        pytest.raises(PermissionDenied),
    ):
        services.report_open(officer=people.officer_a)
