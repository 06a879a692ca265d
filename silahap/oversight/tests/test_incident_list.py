"""The register lists the offices' incidents, those past the notice deadline first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.oversight.services.incidents import incident_update
from silahap.oversight.tests.incident_helpers import an_incident

URL = reverse("audit:incident_list")


def listed(response) -> list[tuple[str, bool]]:
    return [(i.reference, i.overdue) for i in response.context["incidents"]]


@pytest.mark.django_db
def test_overdue_incidents_come_first_and_notified_ones_are_never_overdue(client, people):
    an_incident(people, hours_ago=5, reference="INC/FRESH")
    an_incident(people, hours_ago=100, reference="INC/LATE")
    told = an_incident(people, hours_ago=90, reference="INC/TOLD")
    moment = told.discovered_at + datetime.timedelta(hours=20)
    incident_update(
        by=people.office_admin,
        incident=told,
        authority_notified_at=moment,
        subjects_notified_at=moment,
    )
    client.cookies["silahap_language"] = "en"
    client.force_login(people.office_admin)
    response = client.get(URL)
    assert "Notice overdue by 28 hours" in response.content.decode()
    # 72 - 5 = 67 hours, less the seconds since: a part hour is not counted.
    assert "66 hours left" in response.content.decode()
    assert listed(response) == [("INC/LATE", True), ("INC/FRESH", False), ("INC/TOLD", False)]
    assert response.content.decode().count('data-testid="incident-overdue"') == 1


@pytest.mark.django_db
def test_leaders_above_the_office_and_the_regions_analyst_read_it_others_do_not(client, people):
    an_incident(people)
    expectations = {
        "head_a": 1,
        "analyst": 1,
        "analyst_national": 1,
        "leader_a": 0,
        "leader_b": 0,
    }
    for persona, count in expectations.items():
        client.force_login(getattr(people, persona))
        assert len(client.get(URL).context["incidents"]) == count, persona
    for persona in ("officer_a", "partner"):
        client.force_login(getattr(people, persona))
        assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_few_or_many(
    client, people, django_assert_max_num_queries
):
    client.force_login(people.office_admin)
    an_incident(people, reference="INC/0")
    client.get(URL)
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    for number in range(1, 15):
        an_incident(people, reference=f"INC/{number}", hours_ago=number * 10)
    with django_assert_max_num_queries(8) as many:
        response = client.get(URL)
    assert len(response.context["incidents"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)
    assert timezone.now()
