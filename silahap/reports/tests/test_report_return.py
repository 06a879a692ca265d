import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at, audit_records

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


def test_a_leader_returns_a_report_with_a_reason_and_one_audit_event(people, submitted):
    with audit_records("report.return"):
        report = services.report_return(
            report=submitted, by=people.leader_a, reason="  Add the GPS point.  "
        )
    report.refresh_from_db()
    assert report.status == DailyReport.Status.RETURNED
    assert report.return_reason == "Add the GPS point."
    assert report.decided_by == people.leader_a
    assert report.decided_at == at(18, 0)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_return_without_a_reason_is_refused(people, submitted, reason):
    with audit_records(), pytest.raises(ValidationError) as error:
        services.report_return(report=submitted, by=people.leader_a, reason=reason)
    assert list(error.value.message_dict) == ["reason"]
    submitted.refresh_from_db()
    assert submitted.status == DailyReport.Status.SUBMITTED
    assert submitted.return_reason == ""


@pytest.mark.parametrize("name", ["officer_a2", "leader_b", "analyst", "partner"])
def test_nobody_but_a_leader_above_may_return(people, submitted, name):
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_return(report=submitted, by=people.by_name(name), reason="Redo it.")
    submitted.refresh_from_db()
    assert submitted.status == DailyReport.Status.SUBMITTED


def test_a_leader_cannot_return_their_own_report(people, place):
    own = factories.submitted_report(by=people.leader_a, started_at=at(9, 0), at_place=place)
    with audit_records(), pytest.raises(PermissionDenied):
        services.report_return(report=own, by=people.leader_a, reason="Not my best.")


@pytest.mark.parametrize("state", ["draft", "returned", "approved"])
def test_only_a_submitted_report_can_be_returned(people, place, state):
    report = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place).report
    if state != "draft":
        services.report_submit(report=report, by=people.officer_a)
    if state == "returned":
        services.report_return(report=report, by=people.leader_a, reason="First return.")
    if state == "approved":
        services.report_approve(report=report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        services.report_return(report=report, by=people.head_a, reason="Second opinion.")
    report.refresh_from_db()
    assert report.status == state


def test_a_returned_report_is_fixed_as_a_draft_and_submitted_as_revision_two(people, submitted):
    services.report_return(report=submitted, by=people.leader_a, reason="Describe the rooms.")
    activity = submitted.activities.get()
    services.activity_update(by=people.officer_a, activity=activity, description="Rooms 1-12.")
    submitted.refresh_from_db()
    assert submitted.status == DailyReport.Status.DRAFT
    assert submitted.return_reason == "Describe the rooms."
    report = services.report_submit(report=submitted, by=people.officer_a)
    first, second = report.revisions.all()
    assert (first.number, second.number) == (1, 2)
    assert first.snapshot["activities"][0]["description"] == "Checked the guest register."
    assert second.snapshot["activities"][0]["description"] == "Rooms 1-12."
    assert report.status == DailyReport.Status.SUBMITTED


def test_a_returned_report_is_never_decided_again_before_it_is_resubmitted(people, submitted):
    services.report_return(report=submitted, by=people.leader_a, reason="Describe the rooms.")
    with pytest.raises(ValidationError):
        services.report_return(report=submitted, by=people.leader_a, reason="And the guests.")
    with pytest.raises(ValidationError):
        services.report_approve(report=submitted, by=people.leader_a)
