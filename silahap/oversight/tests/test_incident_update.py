"""The administrator records what was done about an incident; the leaders above read it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.oversight.models import Incident
from silahap.oversight.services.incidents import incident_update
from silahap.oversight.tests.incident_helpers import an_incident

LOCAL = "%Y-%m-%dT%H:%M"


def form_data(incident: Incident, **overrides) -> dict:
    data = {
        "reference": incident.reference,
        "discovered_at": timezone.localtime(incident.discovered_at).strftime(LOCAL),
        "description": incident.description,
        "data_categories": incident.data_categories,
        "subjects_count": str(incident.subjects_count),
        "status": incident.status,
        "measures": incident.measures,
        "authority_notified_at": "",
        "subjects_notified_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_administrator_records_the_notices_and_it_is_audited(client, people):
    incident = an_incident(people, hours_ago=5)
    client.force_login(people.office_admin)
    told = timezone.localtime().strftime(LOCAL)
    response = client.post(
        reverse("audit:incident_update", args=[incident.pk]),
        form_data(
            incident,
            status="contained",
            authority_notified_at=told,
            subjects_notified_at=told,
            measures="Passwords reset.",
        ),
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.notified
    assert incident.status == "contained"
    event = AuditEvent.objects.get(action="incident.update")
    assert sorted(event.summary["fields"]) == [
        "authority_notified_at",
        "measures",
        "status",
        "subjects_notified_at",
    ]


@pytest.mark.django_db
def test_saving_without_changes_records_nothing(people):
    incident = an_incident(people)
    incident_update(by=people.office_admin, incident=incident, measures=incident.measures)
    assert not AuditEvent.objects.filter(action="incident.update").exists()


@pytest.mark.django_db
def test_the_offices_head_reads_the_incident_but_cannot_change_it(client, people):
    incident = an_incident(people)
    client.force_login(people.head_a)
    url = reverse("audit:incident_update", args=[incident.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="incident-save"' not in page.content
    assert client.post(url, form_data(incident, status="closed")).status_code == 403
    with pytest.raises(PermissionDenied):
        incident_update(by=people.head_a, incident=incident, status="closed")
    incident.refresh_from_db()
    assert incident.status == "open"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "leader_b", "officer_b", "partner"])
def test_people_of_other_units_do_not_find_the_incident(client, people, persona):
    incident = an_incident(people)
    client.force_login(getattr(people, persona))
    assert client.get(reverse("audit:incident_update", args=[incident.pk])).status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_hours_left_and_then_the_overdue_notice(client, people):
    client.cookies["silahap_language"] = "en"
    client.force_login(people.office_admin)
    fresh = an_incident(people, hours_ago=10, reference="INC/A")
    late = an_incident(people, hours_ago=80, reference="INC/B")
    page = client.get(reverse("audit:incident_update", args=[fresh.pk])).content.decode()
    assert "61 hours left" in page
    page = client.get(reverse("audit:incident_update", args=[late.pk])).content.decode()
    assert 'data-testid="incident-overdue"' in page
    assert late.hours_left(timezone.now()) == -8
    assert late.is_overdue(timezone.now() + datetime.timedelta(seconds=1))
