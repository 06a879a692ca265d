"""Correcting a draft or returned report: change or remove a check, remove an activity, a finding
or a photo. Only the author, only while editable; each leaves one audit event and one spine event;
a repeat does nothing; removed evidence keeps its hash in the trail and its files in storage."""

from __future__ import annotations

import io
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent
from silahap.reports import services
from silahap.reports.models import (
    Activity,
    Check,
    CheckResult,
    Comment,
    DailyReport,
    Evidence,
    Finding,
)
from silahap.reports.snapshot import snapshot_changes
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at, audit_records
from silahap.supervision.models import FollowUp
from silahap.supervision.services import followup_open, followup_step_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def activity(people):
    place = factories.place(by=people.officer_a)
    with time_machine.travel(at(10, 0), tick=False):
        return factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)


@pytest.fixture
def check(people, activity):
    return services.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=factories.person(by=people.officer_a),
        verification_method="physical_document",
        result="compliant",
    )


@pytest.fixture
def finding(people, activity, check):
    return services.finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        check=check,
        violation_type=factories.violation_type(),
    )


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo(people, activity):
    return services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=jpeg()
    )


def spine_types(**filters) -> list[str]:
    return list(BusinessEvent.objects.filter(**filters).values_list("type", flat=True))


def test_the_author_corrects_how_a_check_went(people, check):
    with audit_records("check.update"):
        services.check_update(
            by=people.officer_a, check=check, result="finding", notes=" Expired visa. "
        )
    check.refresh_from_db()
    assert (check.result, check.notes) == ("finding", "Expired visa.")
    assert "check.updated" in spine_types(object_type="reports.check", object_id=str(check.pk))


def test_the_author_removes_a_check_with_its_findings(people, check, finding):
    with audit_records("check.delete"):
        services.check_delete(by=people.officer_a, check=check)
    assert not Check.objects.filter(pk=check.pk).exists()
    assert not Finding.objects.filter(pk=finding.pk).exists()
    event = AuditEvent.objects.get(action="check.delete")
    assert event.summary["findings"] == [{"finding": finding.pk, "followup": None}]
    assert spine_types(type="check.deleted", object_id=str(check.pk)) == ["check.deleted"]


def test_a_finding_is_withdrawn_with_its_empty_follow_up(people, finding):
    followup = followup_open(finding=finding, by=people.officer_a)
    with audit_records("finding.delete"):
        services.finding_delete(by=people.officer_a, finding=finding)
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert not FollowUp.objects.filter(pk=followup.pk).exists()
    assert AuditEvent.objects.get(action="finding.delete").summary["followup"] == followup.pk


def test_a_finding_whose_follow_up_has_started_is_not_withdrawn(people, finding):
    followup = followup_open(finding=finding, by=people.officer_a)
    followup_step_add(by=people.leader_a, followup=followup, kind="summons", assignee=None)
    with audit_records(), pytest.raises(ValidationError):
        services.finding_delete(by=people.officer_a, finding=finding)
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_a_removed_photo_keeps_its_files_and_its_hash_in_the_trail(people, photo):
    files = [photo.original.name, photo.display.name, photo.thumbnail.name]
    with audit_records("evidence.delete"):
        services.evidence_delete(by=people.officer_a, evidence=photo)
    assert not Evidence.objects.filter(pk=photo.pk).exists()
    assert all(default_storage.exists(name) for name in files)
    summary = AuditEvent.objects.get(action="evidence.delete").summary
    assert summary["sha256"] == photo.sha256
    assert summary["files"] == files


def test_the_author_removes_an_activity_with_everything_in_it(people, activity, finding, photo):
    comment = services.comment_create(
        by=people.leader_a,
        client_id=uuid.uuid4(),
        report=activity.report,
        activity=activity,
        body="Which wing?",
    )
    with audit_records("activity.delete"):
        report = services.activity_delete(by=people.officer_a, activity=activity)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not Check.objects.filter(activity_id=activity.pk).exists()
    assert not Evidence.objects.filter(pk=photo.pk).exists()
    comment.refresh_from_db()
    assert (comment.activity_id, comment.report_id) == (None, report.pk)
    summary = AuditEvent.objects.get(action="activity.delete").summary
    assert summary["evidence"][0]["sha256"] == photo.sha256
    assert summary["findings"][0]["finding"] == finding.pk
    event = BusinessEvent.objects.get(type="activity.deleted", object_id=str(activity.pk))
    assert event.payload["report"] == report.pk


def test_removing_twice_does_nothing_the_second_time(people, activity, check, photo):
    services.activity_delete(by=people.officer_a, activity=activity)
    with audit_records():
        services.activity_delete(by=people.officer_a, activity=activity)
        services.check_delete(by=people.officer_a, check=check)
        services.evidence_delete(by=people.officer_a, evidence=photo)


@pytest.mark.parametrize("name", ["officer_a2", "leader_a", "analyst"])
def test_nobody_but_the_author_corrects_a_report(people, name, activity, check, finding, photo):
    by = people.by_name(name)
    with audit_records():
        for attempt in (
            lambda: services.activity_delete(by=by, activity=activity),
            lambda: services.check_update(by=by, check=check, notes="x"),
            lambda: services.check_delete(by=by, check=check),
            lambda: services.finding_delete(by=by, finding=finding),
            lambda: services.evidence_delete(by=by, evidence=photo),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_nothing_is_removed_from_a_submitted_or_approved_report(people, activity, photo):
    services.report_submit(report=activity.report, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        services.evidence_delete(by=people.officer_a, evidence=photo)
    services.report_approve(report=activity.report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        services.activity_delete(by=people.officer_a, activity=activity)
    assert Evidence.objects.filter(pk=photo.pk).exists()


def test_a_returned_report_is_fixed_by_removing_an_activity_and_the_change_is_shown(
    people, activity
):
    keep = factories.admin_activity(by=people.officer_a, started_at=at(13, 0))
    services.report_submit(report=activity.report, by=people.officer_a)
    services.report_return(report=activity.report, by=people.leader_a, reason="Not today's.")
    services.activity_delete(by=people.officer_a, activity=activity)
    report = DailyReport.objects.get(pk=keep.report_id)
    assert report.status == DailyReport.Status.DRAFT
    services.report_submit(report=report, by=people.officer_a)
    first, second = report.revisions.order_by("number")
    # The first revision still holds the removed activity: nothing of it is lost to the reviewer.
    assert [a["id"] for a in first.snapshot["activities"]] == [activity.pk, keep.pk]
    changes = snapshot_changes(first.snapshot, second.snapshot)
    assert changes == [
        {"activity": "09:00", "change": "removed", "place": "Hotel Santika BSD", "checks": []}
    ]


def test_a_removed_check_is_named_in_what_changed(people, check):
    report = check.activity.report
    services.report_submit(report=report, by=people.officer_a)
    services.report_return(report=report, by=people.leader_a, reason="Wrong person.")
    services.check_delete(by=people.officer_a, check=check)
    services.report_submit(report=report, by=people.officer_a)
    first, second = report.revisions.order_by("number")
    [change] = snapshot_changes(first.snapshot, second.snapshot)
    assert change["removed"] == [f"John Smith ({CheckResult.COMPLIANT.label})"]


def test_a_warrant_added_to_a_saved_field_activity_lets_the_report_be_submitted(
    client, people, activity
):
    services.activity_update(by=people.officer_a, activity=activity, warrant_number="")
    with pytest.raises(ValidationError):
        services.report_submit(report=activity.report, by=people.officer_a)
    client.force_login(people.officer_a)
    url = reverse("reports:activity_update", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    with time_machine.travel(at(11, 0), tick=False):
        response = client.post(
            url,
            {
                "kind": "field",
                "source": "independent",
                "classification": "open",
                "warrant_number": "SP-7/2025",
                "warrant_date": "2025-03-11",
                "started_at": "2025-03-11T09:00",
                "ended_at": "2025-03-11T10:00",
                "description": "Checked the guest register.",
            },
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.warrant_number, str(activity.warrant_date)) == ("SP-7/2025", "2025-03-11")
    services.report_submit(report=activity.report, by=people.officer_a)


def test_another_units_officer_gets_404_for_every_correction(client, people, check, photo):
    client.force_login(people.officer_b)
    activity = check.activity
    for url in (
        reverse("reports:activity_update", args=[activity.pk]),
        reverse("reports:check_update", args=[check.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("reports:activity_delete", args=[activity.pk]),
        reverse("reports:check_delete", args=[check.pk]),
        reverse("reports:evidence_delete", args=[photo.pk]),
    ):
        assert client.post(url).status_code == 404
    assert Check.objects.filter(pk=check.pk).exists()


def test_removed_from_the_activity_page(client, people, check, photo):
    client.force_login(people.officer_a)
    page = client.get(check.activity.get_absolute_url())
    assert reverse("reports:check_delete", args=[check.pk]).encode() in page.content
    response = client.post(reverse("reports:evidence_delete", args=[photo.pk]))
    assert response.status_code == 302
    assert response.url == check.activity.get_absolute_url()
    assert not Evidence.objects.filter(pk=photo.pk).exists()
    assert Comment.objects.count() == 0
