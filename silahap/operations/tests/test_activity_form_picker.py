"""The activity form offers the officer's running operations through the form-extension hook:
one tap, preselected when there is exactly one; a refusal undoes the whole save."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.operations.models import OperationActivity
from silahap.operations.tests.helpers import joint_operation
from silahap.reports.models import Activity

pytestmark = pytest.mark.django_db
FIELD = "operations_operation__operation"


def form_data(operation, started_at) -> dict:
    local = timezone.localtime(started_at, operation.zone)
    place = operation.targets.exclude(place=None).first().place
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "joint_timpora",
        "classification": "open",
        "warrant_number": "SP-1/2026",
        "warrant_date": local.date().isoformat(),
        "started_at": local.strftime("%Y-%m-%dT%H:%M"),
        "place_mode": "existing",
        "place": place.pk,
        "description": "Pemeriksaan TKA",
        FIELD: str(operation.pk),
    }


def test_the_one_running_operation_is_offered_and_preselected(client, people):
    operation = joint_operation(people)
    client.force_login(people.officer_a)
    content = client.get(reverse("reports:activity_create")).content.decode()
    assert 'data-testid="activity-operation"' in content
    assert f'value="{operation.pk}"' in content
    radio = content.split(f'value="{operation.pk}"')[1].split(">")[0]
    assert "checked" in radio


def test_an_officer_on_no_running_operation_sees_no_picker(client, people):
    joint_operation(people)
    client.force_login(people.officer_b)
    content = client.get(reverse("reports:activity_create")).content.decode()
    assert 'data-testid="activity-operation"' not in content


def test_filing_under_the_operation_links_the_activity(client, people):
    operation = joint_operation(people)
    client.force_login(people.officer_a)
    data = form_data(operation, timezone.now() - datetime.timedelta(minutes=30))
    response = client.post(reverse("reports:activity_create"), data)
    assert response.status_code == 302
    link = OperationActivity.objects.get()
    assert link.operation == operation


def test_an_activity_outside_the_period_is_refused_and_nothing_is_saved(client, people):
    operation = joint_operation(people)
    client.force_login(people.officer_a)
    data = form_data(operation, operation.starts_at - datetime.timedelta(hours=2))
    response = client.post(reverse("reports:activity_create"), data)
    assert response.status_code == 422
    assert "di luar masa operasi" in response.content.decode()
    assert not Activity.objects.exists()
    assert not OperationActivity.objects.exists()


def test_choosing_no_operation_files_the_activity_alone(client, people):
    operation = joint_operation(people)
    client.force_login(people.officer_a)
    data = form_data(operation, timezone.now() - datetime.timedelta(minutes=30))
    data[FIELD] = ""
    assert client.post(reverse("reports:activity_create"), data).status_code == 302
    assert Activity.objects.count() == 1
    assert not OperationActivity.objects.exists()
