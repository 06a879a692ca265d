import datetime
import threading
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from silahap.reports import services
from silahap.reports.models import Check, DailyReport, ReportRevision
from silahap.reports.snapshot import report_snapshot
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, WIB, WITA, at, audit_records

pytestmark = pytest.mark.django_db

NEXT_DAY = DAY + datetime.timedelta(days=1)


@pytest.fixture
def place(people):
    return factories.place(by=people.officer_a)


@pytest.fixture
def draft(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        return factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place
        ).report


def submit_at(moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return services.report_submit(**kwargs)


def test_submitting_freezes_revision_one_with_one_audit_event(people, draft):
    with audit_records("report.submit"):
        report = submit_at(at(17, 0), report=draft, by=people.officer_a)
    assert report.status == DailyReport.Status.SUBMITTED
    assert report.revision_number == 1
    assert report.first_submitted_at == report.submitted_at == at(17, 0)
    revision = report.revisions.get()
    assert revision.number == 1
    assert revision.submitted_by == people.officer_a
    assert revision.submitted_at == at(17, 0)
    assert revision.correction_reason == ""


def test_a_report_without_activities_cannot_be_submitted(people):
    with time_machine.travel(at(10, 0), tick=False):
        empty = services.report_open(officer=people.officer_a)
        with audit_records(), pytest.raises(ValidationError) as error:
            services.report_submit(report=empty, by=people.officer_a)
    assert list(error.value.message_dict) == ["activities"]
    empty.refresh_from_db()
    assert empty.status == DailyReport.Status.DRAFT
    assert not ReportRevision.objects.exists()


def test_a_field_activity_without_a_place_cannot_be_submitted(people):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=None)
        with audit_records(), translation.override("en"), pytest.raises(ValidationError) as error:
            services.report_submit(report=activity.report, by=people.officer_a)
    assert error.value.message_dict == {
        f"activity-{activity.pk}": ["A field activity needs a place."]
    }


@pytest.mark.parametrize(
    "warrant",
    [
        {"warrant_number": "", "warrant_date": None},
        {"warrant_number": "W-1/2025", "warrant_date": None},
        {"warrant_number": "", "warrant_date": DAY},
    ],
    ids=["no-warrant", "number-without-date", "date-without-number"],
)
def test_a_field_activity_without_a_warrant_cannot_be_submitted(people, place, warrant):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, **warrant
        )
        with audit_records(), translation.override("en"), pytest.raises(ValidationError) as error:
            services.report_submit(report=activity.report, by=people.officer_a)
    assert list(error.value.message_dict) == [f"activity-{activity.pk}"]
    assert "warrant" in error.value.message_dict[f"activity-{activity.pk}"][0]


def test_every_problem_is_listed_by_the_activity_it_concerns(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        fine = factories.field_activity(by=people.officer_a, started_at=at(7, 0), place=place)
        bare = factories.field_activity(
            by=people.officer_a, started_at=at(8, 0), place=None, warrant_number=""
        )
        with pytest.raises(ValidationError) as error:
            services.report_submit(report=fine.report, by=people.officer_a)
    problems = error.value.message_dict
    assert list(problems) == [f"activity-{bare.pk}"]
    assert len(problems[f"activity-{bare.pk}"]) == 2
    assert problems == services.submit_problems(fine.report)


def test_warrant_to_follow_stands_in_for_the_warrant(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place, warrant_to_follow=True
        )
        report = services.report_submit(report=activity.report, by=people.officer_a)
    assert report.status == DailyReport.Status.SUBMITTED


def test_an_administrative_activity_needs_no_place_or_warrant(people):
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.admin_activity(by=people.officer_a, started_at=at(9, 0))
        report = services.report_submit(report=activity.report, by=people.officer_a)
    assert report.status == DailyReport.Status.SUBMITTED


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (at(19, 59, zone=WITA), False),
        (at(20, 0, zone=WITA), False),
        (at(20, 1, zone=WITA), True),
        # 19:30 WIB is 20:30 WITA: on time in Jakarta, late in Denpasar.
        (at(19, 30, zone=WIB), True),
        (at(9, 0, day=NEXT_DAY, zone=WITA), True),
    ],
    ids=["19:59-WITA", "20:00-WITA", "20:01-WITA", "19:30-WIB", "next-morning"],
)
def test_lateness_follows_the_deadline_of_an_office_in_wita(people, place, moment, late):
    with time_machine.travel(at(10, 0, zone=WITA), tick=False):
        activity = factories.field_activity(
            by=people.officer_b, started_at=at(9, 0, zone=WITA), place=place
        )
    report = submit_at(moment, report=activity.report, by=people.officer_b)
    assert report.report_date == DAY
    assert report.is_late is late


def test_the_same_moment_is_on_time_in_wib_and_late_in_wita(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        in_jakarta = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)
        in_denpasar = factories.field_activity(
            by=people.officer_b, started_at=at(9, 0), place=place
        )
    moment = at(19, 30, zone=WIB)
    assert not submit_at(moment, report=in_jakarta.report, by=people.officer_a).is_late
    assert submit_at(moment, report=in_denpasar.report, by=people.officer_b).is_late


def test_lateness_is_judged_on_the_first_submit_only(people, draft):
    report = submit_at(at(19, 0), report=draft, by=people.officer_a)
    services.report_return(report=report, by=people.leader_a, reason="Add the GPS point.")
    resubmitted = submit_at(at(8, 0, day=NEXT_DAY), report=report, by=people.officer_a)
    assert resubmitted.revision_number == 2
    assert resubmitted.first_submitted_at == at(19, 0)
    assert resubmitted.submitted_at == at(8, 0, day=NEXT_DAY)
    assert not resubmitted.is_late


def test_a_late_report_stays_late_after_it_is_returned_and_fixed(people, draft):
    report = submit_at(at(21, 0), report=draft, by=people.officer_a)
    assert report.is_late
    services.report_return(report=report, by=people.leader_a, reason="Add the GPS point.")
    assert submit_at(at(21, 30), report=report, by=people.officer_a).is_late


def test_a_double_tapped_submit_with_one_client_id_freezes_one_revision(people, draft):
    client_id = uuid.uuid4()
    first = submit_at(at(17, 0), report=draft, by=people.officer_a, client_id=client_id)
    with audit_records():
        again = submit_at(at(17, 1), report=draft, by=people.officer_a, client_id=client_id)
    assert again.pk == first.pk
    assert again.revision_number == 1
    assert again.submitted_at == at(17, 0)
    assert ReportRevision.objects.get().client_id == client_id


def test_a_submit_id_used_for_another_report_is_refused(people, draft, place):
    client_id = uuid.uuid4()
    submit_at(at(17, 0), report=draft, by=people.officer_a, client_id=client_id)
    with time_machine.travel(at(10, 0, day=NEXT_DAY), tick=False):
        other = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0, day=NEXT_DAY), place=place
        ).report
        with audit_records(), pytest.raises(ValidationError):
            services.report_submit(report=other, by=people.officer_a, client_id=client_id)
    assert other.revisions.count() == 0


def test_a_second_submit_without_a_client_id_is_refused(people, draft):
    submit_at(at(17, 0), report=draft, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        submit_at(at(17, 1), report=draft, by=people.officer_a)
    assert draft.revisions.count() == 1


@pytest.mark.parametrize("name", ["officer_a2", "leader_a", "head_a", "analyst"])
def test_only_the_author_submits_a_report(people, draft, name):
    with audit_records(), pytest.raises(PermissionDenied):
        submit_at(at(17, 0), report=draft, by=people.by_name(name))
    draft.refresh_from_db()
    assert draft.status == DailyReport.Status.DRAFT


def test_someone_else_replaying_the_authors_submit_id_is_refused(people, draft):
    client_id = uuid.uuid4()
    submit_at(at(17, 0), report=draft, by=people.officer_a, client_id=client_id)
    with audit_records(), pytest.raises(PermissionDenied):
        submit_at(at(17, 1), report=draft, by=people.leader_a, client_id=client_id)


def test_an_approved_report_cannot_be_submitted_again(people, draft):
    report = submit_at(at(17, 0), report=draft, by=people.officer_a)
    services.report_approve(report=report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        submit_at(at(18, 0), report=report, by=people.officer_a)


def test_a_returned_report_may_be_submitted_again_as_it_is(people, draft):
    report = submit_at(at(17, 0), report=draft, by=people.officer_a)
    services.report_return(report=report, by=people.leader_a, reason="Check the hotel name.")
    with audit_records("report.submit"):
        report = submit_at(at(18, 0), report=report, by=people.officer_a)
    assert report.status == DailyReport.Status.SUBMITTED
    assert [r.number for r in report.revisions.all()] == [1, 2]


def test_the_snapshot_holds_what_the_report_said(people, place):
    overstay = factories.violation_type()
    with time_machine.travel(at(12, 0), tick=False):
        foreigner = factories.person(by=people.officer_a, name="John  Smith")
        field = factories.field_activity(
            by=people.officer_a,
            started_at=at(9, 0),
            place=place,
            latitude="-6.2",
            longitude="106.63",
            conclusion="One overstay.",
        )
        check = services.check_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=field,
            person=foreigner,
            permit=foreigner.permits.get(),
            verification_method=Check.Method.PERMIT_QR,
            result=Check.Result.FINDING,
            matches_permit=False,
        )
        services.finding_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=field,
            violation_type=overstay,
            check=check,
            overstay_days=12,
        )
        office = factories.admin_activity(by=people.officer_a, started_at=at(7, 0))
        report = services.report_submit(report=field.report, by=people.officer_a)
    snapshot = report.revisions.get().snapshot
    assert snapshot["report_date"] == "2025-03-11"
    assert snapshot["officer"] == people.officer_a.pk
    assert snapshot["unit"] == people.team_a.pk
    assert [a["id"] for a in snapshot["activities"]] == [office.pk, field.pk]
    frozen = snapshot["activities"][1]
    assert frozen["kind"] == "field"
    assert frozen["place"] == {"id": place.pk, "name": "Hotel Santika BSD"}
    assert frozen["warrant_number"] == "W-123/INTEL/2025"
    assert frozen["warrant_date"] == "2025-03-11"
    assert datetime.datetime.fromisoformat(frozen["started_at"]) == at(9, 0)
    assert frozen["latitude"] == "-6.200000"
    assert frozen["conclusion"] == "One overstay."
    assert frozen["checks"] == [
        {
            "person": {"id": foreigner.pk, "name": "John Smith"},
            "permit": foreigner.permits.get().pk,
            "verification_method": "permit_qr",
            "activity_observed": "",
            "matches_permit": False,
            "result": "finding",
            "notes": "",
        }
    ]
    assert frozen["findings"] == [
        {
            "violation_type": "test_overstay",
            "person": foreigner.pk,
            "description": "",
            "overstay_days": 12,
        }
    ]
    assert snapshot == report_snapshot(report)


def test_the_snapshot_does_not_follow_later_changes(people, draft, place):
    report = submit_at(at(17, 0), report=draft, by=people.officer_a)
    services.report_return(report=report, by=people.leader_a, reason="Describe the rooms.")
    activity = report.activities.get()
    services.activity_update(by=people.officer_a, activity=activity, description="Rooms 1-12.")
    first = report.revisions.get(number=1)
    assert first.snapshot["activities"][0]["description"] == "Checked the guest register."


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections at once (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_with_one_client_id_freeze_one_revision(people, place):
    with time_machine.travel(at(10, 0), tick=False):
        report = factories.field_activity(
            by=people.officer_a, started_at=at(9, 0), place=place
        ).report
    client_id = uuid.uuid4()
    start = threading.Barrier(2)
    outcomes = []

    def tap():
        try:
            start.wait()
            services.report_submit(report=report, by=people.officer_a, client_id=client_id)
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok", "ok"]
    assert list(report.revisions.values_list("number", flat=True)) == [1]
