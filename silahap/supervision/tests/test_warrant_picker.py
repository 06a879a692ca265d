"""The activity form offers the warrants covering today that name the officer; the day's only
one is preselected and visible, and an activity filed under it carries its number and date."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.reports.models import Activity
from silahap.supervision.services import warrant_create

pytestmark = pytest.mark.django_db


def warrant(people, number="SP-77/INTEL/2026", members=None, days=7):
    today = people.office_a.local_today()
    return warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number=number,
        issued_on=today - datetime.timedelta(days=1),
        signer="Kasi Inteldakim",
        period_start=today - datetime.timedelta(days=1),
        period_end=today + datetime.timedelta(days=days),
        members=members if members is not None else [people.officer_a],
    )


def warrant_fieldset(page: str) -> str:
    return page.split('data-testid="activity-warrant"')[1].split("</fieldset>")[0]


def post(client, **extra):
    now = timezone.localtime()
    data = {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "started_at": now.strftime("%Y-%m-%dT%H:%M"),
        "place_mode": "existing",
        **extra,
    }
    return client.post(reverse("reports:activity_create"), data), data["client_id"]


def test_the_only_covering_warrant_is_preselected_and_filed_with_the_activity(client, people):
    covering = warrant(people)
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:activity_create")).content.decode()
    assert "SP-77/INTEL/2026" in page
    assert re.search(rf'value="{covering.pk}"[^>]*checked', warrant_fieldset(page))
    response, key = post(client, **{"supervision_warrant__warrant": str(covering.pk)})
    assert response.status_code == 302
    activity = Activity.objects.get(client_id=key)
    assert (activity.warrant_number, activity.warrant_date) == (
        covering.number,
        covering.issued_on,
    )


def test_a_typed_warrant_wins_over_the_preselected_one(client, people):
    covering = warrant(people)
    client.force_login(people.officer_a)
    today = people.office_a.local_today().isoformat()
    response, key = post(
        client,
        warrant_number="SP-OTHER",
        warrant_date=today,
        **{"supervision_warrant__warrant": str(covering.pk)},
    )
    assert response.status_code == 302
    assert Activity.objects.get(client_id=key).warrant_number == "SP-OTHER"


def test_nothing_is_preselected_with_two_warrants_or_for_someone_not_named(client, people):
    warrant(people, number="SP-1")
    warrant(people, number="SP-2")
    warrant(people, number="SP-3", members=[people.officer_a2])
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:activity_create")).content.decode()
    assert "SP-1" in page
    assert "SP-2" in page
    assert "SP-3" not in page
    assert not re.search(r'value="\d+"[^>]*checked', warrant_fieldset(page))


def test_someone_elses_warrant_cannot_be_chosen(client, people):
    theirs = warrant(people, number="SP-9", members=[people.officer_a2])
    warrant(people, number="SP-MINE")
    client.force_login(people.officer_a)
    response, key = post(client, **{"supervision_warrant__warrant": str(theirs.pk)})
    assert response.status_code == 422
    assert not Activity.objects.filter(client_id=key).exists()
