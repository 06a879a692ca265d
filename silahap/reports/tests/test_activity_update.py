import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.reports import services
from silahap.reports.models import Activity, DailyReport
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def activity(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        return factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)


def test_the_author_changes_an_activity_of_a_draft_with_one_audit_event(people, activity):
    with time_machine.travel(at(11, 0), tick=False), audit_records("activity.update"):
        services.activity_update(
            by=people.officer_a,
            activity=activity,
            conclusion="  All guests registered.  ",
            ended_at=at(10, 30),
        )
    activity.refresh_from_db()
    assert activity.conclusion == "All guests registered."
    assert activity.ended_at == at(10, 30)


def test_someone_else_cannot_change_an_officers_activity(people, activity):
    for name in ["officer_a2", "leader_a", "analyst"]:
        with audit_records(), pytest.raises(PermissionDenied):
            services.activity_update(
                by=people.by_name(name), activity=activity, description="edited"
            )
    activity.refresh_from_db()
    assert activity.description == "Checked the guest register."


def test_an_activity_of_a_submitted_report_cannot_be_changed(people, activity):
    services.report_submit(report=activity.report, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        services.activity_update(by=people.officer_a, activity=activity, description="edited")
    assert Activity.objects.get(pk=activity.pk).description == "Checked the guest register."


def test_an_activity_of_an_approved_report_cannot_be_changed(people, activity):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_approve(report=activity.report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        services.activity_update(by=people.officer_a, activity=activity, description="edited")
    assert Activity.objects.get(pk=activity.pk).description == "Checked the guest register."


def test_changing_an_activity_of_a_returned_report_makes_it_a_draft(people, activity):
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_return(report=activity.report, by=people.leader_a, reason="Which hotel wing?")
    services.activity_update(by=people.officer_a, activity=activity, description="East wing.")
    report = DailyReport.objects.get(pk=activity.report_id)
    assert report.status == DailyReport.Status.DRAFT


def test_an_activity_cannot_be_changed_to_end_before_it_starts(people, activity):
    with audit_records(), pytest.raises(ValidationError) as error:
        services.activity_update(by=people.officer_a, activity=activity, ended_at=at(8, 0))
    assert "ended_at" in error.value.message_dict
    assert Activity.objects.get(pk=activity.pk).ended_at == at(10, 0)


def test_an_activity_keeps_its_time_within_the_day_it_started(people, activity):
    with time_machine.travel(at(11, 0), tick=False):
        services.activity_update(
            by=people.officer_a, activity=activity, started_at=at(7, 0), ended_at=at(8, 0)
        )
    assert Activity.objects.get(pk=activity.pk).started_at == at(7, 0)


def test_an_activity_cannot_be_moved_to_another_day_by_changing_its_start(people, activity):
    # It belongs to the report of the day it started: a different day is a different report.
    next_day = DAY + datetime.timedelta(days=1)
    with (
        time_machine.travel(at(11, 0, day=next_day), tick=False),
        audit_records(),
        pytest.raises(ValidationError) as error,
    ):
        services.activity_update(
            by=people.officer_a,
            activity=activity,
            started_at=at(9, 0, day=next_day),
            ended_at=at(10, 0, day=next_day),
        )
    assert "started_at" in error.value.message_dict
    assert Activity.objects.get(pk=activity.pk).started_at == at(9, 0)


def test_setting_warrant_to_follow_clears_the_warrant(people, activity):
    services.activity_update(by=people.officer_a, activity=activity, warrant_to_follow=True)
    activity.refresh_from_db()
    assert activity.warrant_to_follow
    assert activity.warrant_number == ""
    assert activity.warrant_date is None


def test_an_unknown_field_is_a_programming_error(people, activity):
    with audit_records(), pytest.raises(TypeError):
        services.activity_update(by=people.officer_a, activity=activity, report=None)
