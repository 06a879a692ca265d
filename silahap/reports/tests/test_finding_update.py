"""Correcting a finding: only its author, only while the report is a draft or returned; one audit
event and one spine event; the returned report's next revision shows what changed."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from silahap.events.models import BusinessEvent
from silahap.reports import services
from silahap.reports.models import Finding, ViolationType
from silahap.reports.snapshot import snapshot_changes
from silahap.reports.tests import factories
from silahap.reports.tests.factories import at, audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(people):
    place = factories.place(by=people.officer_a)
    with time_machine.travel(at(10, 0), tick=False):
        activity = factories.field_activity(by=people.officer_a, started_at=at(9, 0), place=place)
    check = services.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=factories.person(by=people.officer_a),
        verification_method="physical_document",
        result="finding",
    )
    return services.finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        check=check,
        violation_type=factories.violation_type(),
        overstay_days=12,
        description="Permit expired.",
    )


def test_the_author_corrects_a_finding_with_one_audit_and_one_spine_event(people, finding):
    other = ViolationType.objects.create(code="work_permit", name="Working", article="Pasal 75")
    with audit_records("finding.update"):
        services.finding_update(
            by=people.officer_a,
            finding=finding,
            violation_type=other,
            overstay_days=21,
            description=" Expired 21 days ago. ",
        )
    finding.refresh_from_db()
    assert (finding.violation_type, finding.overstay_days, finding.description) == (
        other,
        21,
        "Expired 21 days ago.",
    )
    events = BusinessEvent.objects.filter(type="finding.updated", object_id=str(finding.pk))
    assert [e.payload["fields"] for e in events] == [
        ["description", "overstay_days", "violation_type"]
    ]


def test_the_person_of_a_finding_is_not_changed_by_a_correction(people, finding):
    with audit_records(), pytest.raises(TypeError):
        services.finding_update(by=people.officer_a, finding=finding, person=None)


@pytest.mark.parametrize("name", ["officer_a2", "leader_a", "analyst"])
def test_nobody_but_the_author_corrects_a_finding(people, name, finding):
    with audit_records(), pytest.raises(PermissionDenied):
        services.finding_update(by=people.by_name(name), finding=finding, description="x")
    finding.refresh_from_db()
    assert finding.description == "Permit expired."


def test_a_finding_of_a_submitted_or_approved_report_is_refused(client, people, finding):
    report = finding.activity.report
    services.report_submit(report=report, by=people.officer_a)
    with audit_records(), pytest.raises(ValidationError):
        services.finding_update(by=people.officer_a, finding=finding, description="x")
    services.report_approve(report=report, by=people.leader_a)
    with audit_records(), pytest.raises(ValidationError):
        services.finding_update(by=people.officer_a, finding=finding, description="x")
    client.force_login(people.officer_a)
    url = reverse("reports:finding_update", args=[finding.pk])
    assert client.get(url).status_code == 403
    with audit_records("access.denied"):  # the refusal is recorded, nothing else
        response = client.post(url, {"violation_type": finding.violation_type_id})
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.description == "Permit expired."


def test_another_officers_finding_is_404_and_unchanged(client, people, finding):
    client.force_login(people.officer_b)
    url = reverse("reports:finding_update", args=[finding.pk])
    assert client.get(url).status_code == 404
    with audit_records("access.denied"):  # the refusal is recorded, nothing else
        response = client.post(
            url, {"violation_type": finding.violation_type_id, "description": "hostile"}
        )
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.description == "Permit expired."


def test_corrected_from_the_activity_page_and_shown_in_the_returned_reports_history(
    client, people, finding
):
    report = finding.activity.report
    services.report_submit(report=report, by=people.officer_a)
    services.report_return(report=report, by=people.leader_a, reason="It was 21 days.")
    client.force_login(people.officer_a)
    page = client.get(finding.activity.get_absolute_url())
    url = reverse("reports:finding_update", args=[finding.pk])
    assert url.encode() in page.content
    assert client.get(url).status_code == 200
    # A hostile value is refused beside its field, and nothing is written.
    with audit_records():
        refused = client.post(
            url, {"violation_type": "99999999", "overstay_days": "-3", "description": "x"}
        )
    assert refused.status_code == 422
    with audit_records("finding.update"):
        response = client.post(
            url,
            {
                "violation_type": finding.violation_type_id,
                "overstay_days": "21",
                "description": "Permit expired.",
            },
        )
    assert response.status_code == 302
    assert response.url == finding.activity.get_absolute_url() + "#findings"
    # Saving it again unchanged writes nothing.
    with audit_records():
        client.post(
            url,
            {
                "violation_type": finding.violation_type_id,
                "overstay_days": "21",
                "description": "Permit expired.",
            },
        )
    services.report_submit(report=report, by=people.officer_a)
    first, second = report.revisions.order_by("number")
    [change] = snapshot_changes(first.snapshot, second.snapshot)
    assert change["change"] == "parts"
    [removed], [added] = change["removed"], change["added"]
    assert removed.startswith("test_overstay · 12 ")
    assert removed.endswith(" — Permit expired.")
    assert added.startswith("test_overstay · 21 ")
    assert added.endswith(" — Permit expired.")
    assert Finding.objects.get().overstay_days == 21
