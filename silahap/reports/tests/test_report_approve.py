import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership
from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(18, 0), tick=False):
        yield


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def submitted(people, place):
    return factories.submitted_report(by=people.officer_a, started_at=at(9, 0), at_place=place)


@pytest.mark.parametrize("name", ["leader_a", "head_a"])
def test_a_leader_of_the_unit_or_above_approves_with_one_audit_event(people, submitted, name):
    leader = people.by_name(name)
    with audit_records("report.approve"):
        report = services.report_approve(report=submitted, by=leader)
    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED
    assert report.decided_by == leader
    assert report.decided_at == at(18, 0)
    assert report.revision_number == 1


@pytest.mark.parametrize(
    "name",
    ["officer_a2", "leader_b", "analyst", "analyst_national", "partner", "office_admin"],
)
def test_nobody_but_a_leader_above_may_approve(people, submitted, name):
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, by=people.by_name(name))
    submitted.refresh_from_db()
    assert submitted.status == DailyReport.Status.SUBMITTED
    assert submitted.decided_by is None


def test_a_leader_cannot_approve_their_own_report(people, place):
    own = factories.submitted_report(by=people.leader_a, started_at=at(9, 0), at_place=place)
    assert own.unit == people.section_a
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=own, by=people.leader_a)
    assert services.report_approve(report=own, by=people.head_a).decided_by == people.head_a


def test_a_section_leader_cannot_approve_the_office_heads_report(people, place):
    heads = factories.submitted_report(by=people.head_a, started_at=at(9, 0), at_place=place)
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=heads, by=people.leader_a)


def test_a_leader_of_another_office_cannot_approve(people, place):
    in_denpasar = factories.submitted_report(
        by=people.officer_b, started_at=at(9, 0), at_place=place
    )
    with pytest.raises(PermissionDenied):
        services.report_approve(report=in_denpasar, by=people.head_a)
    assert services.report_approve(report=in_denpasar, by=people.leader_b).status == "approved"


def test_an_acting_leader_approves_while_the_appointment_is_current(people, submitted):
    factories.acting_leader(
        user=people.officer_b,
        unit=people.section_a,
        start_date=DAY - datetime.timedelta(days=3),
        end_date=DAY + datetime.timedelta(days=3),
    )
    report = services.report_approve(report=submitted, by=people.officer_b)
    assert report.decided_by == people.officer_b


def test_an_acting_leader_whose_appointment_ended_cannot_approve(people, submitted):
    factories.acting_leader(
        user=people.officer_b,
        unit=people.section_a,
        start_date=DAY - datetime.timedelta(days=30),
        end_date=DAY - datetime.timedelta(days=1),
    )
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, by=people.officer_b)


def test_an_acting_leader_whose_appointment_has_not_started_cannot_approve(people, submitted):
    factories.acting_leader(
        user=people.officer_b,
        unit=people.section_a,
        start_date=DAY + datetime.timedelta(days=1),
        end_date=None,
    )
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, by=people.officer_b)


def test_an_acting_leader_never_approves_their_own_report(people, place):
    factories.acting_leader(
        user=people.officer_a2, unit=people.section_a, start_date=DAY, end_date=None
    )
    own = factories.submitted_report(by=people.officer_a2, started_at=at(9, 0), at_place=place)
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=own, by=people.officer_a2)


def test_a_leader_whose_membership_ended_cannot_approve(people, submitted):
    membership = Membership.objects.get(user=people.leader_a)
    accounts.membership_end(by=None, membership=membership, end_date=DAY - datetime.timedelta(1))
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, by=people.leader_a)


def test_a_draft_cannot_be_approved(people, place):
    draft = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place).report
    with audit_records(), pytest.raises(ValidationError):
        services.report_approve(report=draft, by=people.leader_a)
    draft.refresh_from_db()
    assert draft.status == DailyReport.Status.DRAFT


def test_a_returned_report_cannot_be_approved_until_resubmitted(people, submitted):
    services.report_return(report=submitted, by=people.leader_a, reason="Add the GPS point.")
    with audit_records(), pytest.raises(ValidationError):
        services.report_approve(report=submitted, by=people.head_a)


def test_an_approved_report_cannot_be_approved_again(people, submitted):
    services.report_approve(report=submitted, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        services.report_approve(report=submitted, by=people.head_a)
    submitted.refresh_from_db()
    assert submitted.decided_by == people.leader_a


def test_approving_a_resubmitted_report_clears_the_old_return_reason(people, submitted):
    services.report_return(report=submitted, by=people.leader_a, reason="Add the GPS point.")
    services.report_submit(report=submitted, by=people.officer_a)
    report = services.report_approve(report=submitted, by=people.leader_a)
    assert report.return_reason == ""
    assert report.revision_number == 2


def test_an_approved_report_is_frozen(people, submitted):
    report = services.report_approve(report=submitted, by=people.leader_a)
    activity = report.activities.get()
    with audit_records():
        with pytest.raises(ValidationError):
            services.activity_update(by=people.officer_a, activity=activity, description="x")
        with pytest.raises(ValidationError):
            factories.admin_activity(by=people.officer_a, started_at=at(15, 0))
        with pytest.raises(ValidationError):
            services.report_submit(report=report, by=people.officer_a)
    assert report.activities.get().description == "Checked the guest register."
