import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def approved(people, place):
    with time_machine.travel(at(17, 0), tick=False):
        return factories.approved_report(
            by=people.officer_a, leader=people.leader_a, started_at=at(9, 0), at_place=place
        )


def revise(report, by, reason="The hotel name was wrong."):
    return services.report_revise(report=report, by=by, reason=reason)


def test_a_correction_makes_an_approved_report_a_draft_with_one_audit_event(people, approved):
    with audit_records("report.revise"):
        report = revise(approved, people.officer_a, reason="  The hotel name was wrong.  ")
    report.refresh_from_db()
    assert report.status == DailyReport.Status.DRAFT
    assert report.correction_reason == "The hotel name was wrong."
    assert report.decided_by is None
    assert report.decided_at is None
    assert report.revision_number == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_needs_a_reason(people, approved, reason):
    with audit_records(), pytest.raises(ValidationError) as error:
        revise(approved, people.officer_a, reason=reason)
    assert list(error.value.message_dict) == ["reason"]
    approved.refresh_from_db()
    assert approved.status == DailyReport.Status.APPROVED


@pytest.mark.parametrize("name", ["officer_a2", "leader_a", "head_a"])
def test_only_the_author_asks_for_a_correction(people, approved, name):
    with audit_records(), pytest.raises(PermissionDenied):
        revise(approved, people.by_name(name))
    approved.refresh_from_db()
    assert approved.status == DailyReport.Status.APPROVED


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_only_an_approved_report_is_corrected(people, place, state):
    with time_machine.travel(at(17, 0), tick=False):
        report = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place
        ).report
        if state != "draft":
            services.report_submit(report=report, by=people.officer_a)
        if state == "returned":
            services.report_return(report=report, by=people.leader_a, reason="Add GPS.")
    with audit_records(), pytest.raises(ValidationError):
        revise(report, people.officer_a)
    report.refresh_from_db()
    assert report.status == state


def test_the_corrected_report_is_submitted_as_a_new_revision_and_the_old_stays(people, approved):
    activity = approved.activities.get()
    with time_machine.travel(at(9, 0, day=DAY.replace(day=13)), tick=False):
        revise(approved, people.officer_a)
        services.activity_update(
            by=people.officer_a, activity=activity, description="Hotel Santika, not Aston."
        )
        with audit_records("report.submit"):
            report = services.report_submit(report=approved, by=people.officer_a)
    assert report.status == DailyReport.Status.SUBMITTED
    assert report.revision_number == 2
    first, second = report.revisions.all()
    assert first.number == 1
    assert first.correction_reason == ""
    assert first.snapshot["activities"][0]["description"] == "Checked the guest register."
    assert second.number == 2
    assert second.correction_reason == "The hotel name was wrong."
    assert second.snapshot["activities"][0]["description"] == "Hotel Santika, not Aston."


def test_a_correction_submitted_days_later_does_not_make_the_report_late(people, approved):
    assert not approved.is_late
    with time_machine.travel(at(9, 0, day=DAY.replace(day=20)), tick=False):
        revise(approved, people.officer_a)
        report = services.report_submit(report=approved, by=people.officer_a)
    assert not report.is_late
    assert report.first_submitted_at == at(17, 0)


def test_the_corrected_report_is_reviewed_again(people, approved):
    revise(approved, people.officer_a)
    report = services.report_submit(report=approved, by=people.officer_a)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=people.officer_a)
    report = services.report_approve(report=report, by=people.head_a)
    assert report.status == DailyReport.Status.APPROVED
    assert report.decided_by == people.head_a


def test_a_corrected_report_can_be_corrected_again(people, approved):
    for number in (2, 3):
        revise(approved, people.officer_a, reason=f"Correction {number}.")
        services.report_submit(report=approved, by=people.officer_a)
        services.report_approve(report=approved, by=people.leader_a)
    assert list(approved.revisions.values_list("number", flat=True)) == [1, 2, 3]
    assert list(approved.revisions.values_list("correction_reason", flat=True)) == [
        "",
        "Correction 2.",
        "Correction 3.",
    ]
