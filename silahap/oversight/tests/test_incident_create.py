"""Office administrators register personal-data breaches; the 3 × 24-hour clock starts at the
discovery (UU 27/2022 Pasal 46)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.oversight.models import Incident
from silahap.oversight.tests.incident_helpers import an_incident

URL = reverse("audit:incident_create")


def form_data(**overrides) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "reference": "INC/9/2026",
        "discovered_at": (timezone.localtime() - datetime.timedelta(hours=5)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "description": "A phone with the app open was stolen.",
        "data_categories": ["identity", "location"],
        "subjects_count": "25",
        "status": "open",
        "measures": "",
        "authority_notified_at": "",
        "subjects_notified_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_administrator_registers_an_incident_and_it_is_audited(client, people):
    client.force_login(people.office_admin)
    data = form_data(office=str(people.office_a.pk))
    response = client.post(URL, data)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:incident_update", args=[incident.pk])
    assert incident.office == people.office_a
    assert incident.reported_by == people.office_admin
    assert incident.data_categories == ["identity", "location"]
    assert incident.notification_deadline == incident.discovered_at + datetime.timedelta(hours=72)
    event = AuditEvent.objects.get(action="incident.create")
    assert event.actor == people.office_admin
    assert event.object_id == str(incident.pk)


@pytest.mark.django_db
def test_a_repeated_submit_registers_one_incident(client, people):
    client.force_login(people.office_admin)
    data = form_data(office=str(people.office_a.pk))
    client.post(URL, data)
    second = client.post(URL, data)
    assert second.status_code == 302
    assert Incident.objects.count() == 1
    assert AuditEvent.objects.filter(action="incident.create").count() == 1


@pytest.mark.django_db
def test_a_missing_category_and_a_future_discovery_come_back_with_the_typing_kept(client, people):
    client.cookies["silahap_language"] = "en"
    client.force_login(people.office_admin)
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        URL,
        form_data(office=str(people.office_a.pk), data_categories=[], discovered_at=future),
    )
    assert response.status_code == 422
    assert "A phone with the app open was stolen." in response.content.decode()
    assert "This field is required." in response.content.decode()
    response = client.post(URL, form_data(office=str(people.office_a.pk), discovered_at=future))
    assert response.status_code == 422
    assert "cannot be in the future" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_reference_is_used_once_per_office(client, people):
    an_incident(people, reference="INC/9/2026")
    client.cookies["silahap_language"] = "en"
    client.force_login(people.office_admin)
    response = client.post(URL, form_data(office=str(people.office_a.pk)))
    assert response.status_code == 422
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_an_administrator_cannot_register_for_an_office_they_do_not_administer(client, people):
    with pytest.raises(PermissionDenied):
        an_incident(people, office=people.office_b)
    client.force_login(people.office_admin)
    response = client.post(URL, form_data(office=str(people.office_b.pk)))
    assert response.status_code == 422  # not one of the offices offered
    assert not Incident.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leader_a", "head_a", "analyst", "officer_a", "partner"])
def test_only_administrators_register(client, people, persona):
    client.force_login(getattr(people, persona))
    assert client.post(URL, form_data(office=str(people.office_a.pk))).status_code == 403
    with pytest.raises(PermissionDenied):
        an_incident(people, by=getattr(people, persona))


@pytest.mark.django_db
def test_a_notice_cannot_precede_the_discovery(people):
    with pytest.raises(ValidationError) as error:
        an_incident(
            people,
            hours_ago=2,
            authority_notified_at=timezone.now() - datetime.timedelta(hours=3),
        )
    assert "authority_notified_at" in error.value.error_dict
