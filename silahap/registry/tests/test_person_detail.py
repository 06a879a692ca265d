"""The person page: who may open it, the purpose asked or implied and audited, the timeline of
checks across offices with closed activities masked, the map, and a fixed number of queries."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.models import ForeignNational, Regency
from silahap.registry.services import permit_add, person_create, place_create
from silahap.reports.models import Activity, Check, ViolationType
from silahap.reports.services import activity_create, check_create, finding_create

pytestmark = pytest.mark.django_db


@dataclass
class Seen:
    person: ForeignNational
    at_hotel: Activity
    in_bali: Activity
    closed: Activity


def activity(by, *, hours_ago: int, place=None, **extra) -> Activity:
    return activity_create(
        by=by,
        client_id=uuid.uuid4(),
        kind="field",
        source=extra.pop("source", "independent"),
        started_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        place=place,
        **extra,
    )


def check(by, activity_, person, result=Check.Result.COMPLIANT) -> Check:
    return check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity_,
        person=person,
        verification_method=Check.Method.PHYSICAL_DOCUMENT,
        result=result,
        activity_observed="Working at the front desk",
    )


@pytest.fixture
def seen(people) -> Seen:
    """A person checked by office A at a hotel (with a finding), by office B in Bali, and in
    a closed (intelligence) activity of another officer of team A."""
    today = timezone.localdate()
    person = person_create(
        by=people.officer_a,
        full_name="Zhang Wei",
        nationality="CN",
        document_number="E12345678",
        permit_type="ITAS",
        permit_issued_on=today - datetime.timedelta(days=400),
        permit_valid_until=today - datetime.timedelta(days=12),
    ).person
    hotel = place_create(
        by=people.officer_a,
        name="Hotel Santika BSD",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude=Decimal("-6.301"),
        longitude=Decimal("106.652"),
    )
    at_hotel = activity(people.officer_a, hours_ago=3, place=hotel)
    hotel_check = check(people.officer_a, at_hotel, person, Check.Result.FINDING)
    finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=at_hotel,
        violation_type=ViolationType.objects.get(code="overstay_lt_60"),
        person=person,
        check=hotel_check,
        overstay_days=12,
    )
    villa = place_create(
        by=people.officer_b,
        name="Villa Seminyak",
        kind="villa",
        regency=Regency.objects.get(code="51.71"),
        latitude=Decimal("-8.690"),
        longitude=Decimal("115.168"),
    )
    in_bali = activity(people.officer_b, hours_ago=2, place=villa)
    check(people.officer_b, in_bali, person)
    closed = activity(
        people.officer_a2,
        hours_ago=1,
        latitude=Decimal("-6.2"),
        longitude=Decimal("106.8"),
        source="intelligence",
        classification="closed",
    )
    check(people.officer_a2, closed, person)
    return Seen(person=person, at_hotel=at_hotel, in_bali=in_bali, closed=closed)


def detail_url(person, **query) -> str:
    url = reverse("registry:person_detail", args=[person.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def views_of(person) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action="person.view", object_type="registry.foreignnational", object_id=str(person.pk)
        ).order_by("sequence")
    )


def test_partner_gets_404(client, people, seen):
    client.force_login(people.partner)
    assert client.get(detail_url(seen.person, purpose="supervision")).status_code == 404
    assert client.get(detail_url(seen.person)).status_code == 404
    assert views_of(seen.person) == []


def test_unknown_person_is_404(client, people):
    client.force_login(people.officer_a)
    assert client.get(reverse("registry:person_detail", args=[999999])).status_code == 404


def test_purpose_is_asked_before_anything_is_shown(client, people, seen):
    client.force_login(people.officer_b)
    response = client.get(detail_url(seen.person))
    assert response.status_code == 200
    assert b'data-testid="purpose-form"' in response.content
    assert b"Zhang Wei" not in response.content
    assert b"E12345678" not in response.content
    assert views_of(seen.person) == []


def test_an_unknown_purpose_is_asked_again(client, people, seen):
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, purpose="curiosity"))
    assert b'data-testid="purpose-form"' in response.content
    assert views_of(seen.person) == []


def test_opening_with_a_purpose_is_audited(client, people, seen):
    client.force_login(people.analyst)
    response = client.get(detail_url(seen.person, purpose="permit_verification"))
    assert response.status_code == 200
    [event] = views_of(seen.person)
    assert event.actor_id == people.analyst.pk
    assert event.purpose == "permit_verification"
    assert b'data-purpose="permit_verification"' in response.content


def test_a_link_from_the_activity_implies_supervision(client, people, seen):
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, **{"from": f"activity/{seen.at_hotel.pk}"}))
    assert response.status_code == 200
    [event] = views_of(seen.person)
    assert event.purpose == "supervision"
    assert event.summary == {"from": f"activity/{seen.at_hotel.pk}"}


def test_a_link_from_the_report_implies_supervision(client, people, seen):
    client.force_login(people.leader_a)
    response = client.get(detail_url(seen.person, **{"from": f"report/{seen.at_hotel.report_id}"}))
    assert b'data-testid="person-name"' in response.content
    assert views_of(seen.person)[0].purpose == "supervision"


def test_a_link_from_an_activity_the_user_cannot_open_implies_nothing(client, people, seen):
    client.force_login(people.officer_b)
    response = client.get(detail_url(seen.person, **{"from": f"activity/{seen.at_hotel.pk}"}))
    assert b'data-testid="purpose-form"' in response.content
    assert views_of(seen.person) == []


def test_a_link_from_an_activity_without_the_person_implies_nothing(client, people, seen):
    other = activity(people.officer_a, hours_ago=4)
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, **{"from": f"activity/{other.pk}"}))
    assert b'data-testid="purpose-form"' in response.content


def entries(response) -> dict[int, dict]:
    """Each timeline entry of the page: whether it is shown in full and linked."""
    timeline = response.context["timeline"]
    return {
        entry.check.activity_id: {"shown": entry.shown, "linked": entry.linked}
        for entry in timeline
    }


def test_timeline_shows_every_office_and_masks_closed_activities(client, people, seen):
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, purpose="supervision"))
    assert entries(response) == {
        seen.closed.pk: {"shown": False, "linked": False},
        seen.in_bali.pk: {"shown": True, "linked": False},
        seen.at_hotel.pk: {"shown": True, "linked": True},
    }
    content = response.content.decode()
    assert content.count('data-testid="timeline-entry"') == 3
    assert content.count('data-testid="timeline-closed"') == 1
    assert "Villa Seminyak" in content
    assert "Hotel Santika BSD" in content
    assert "Kanim Denpasar" in content
    assert content.count('data-testid="timeline-finding"') == 1
    assert f'href="{seen.at_hotel.get_absolute_url()}"' in content
    assert f'href="{seen.in_bali.get_absolute_url()}"' not in content


def test_the_leader_above_sees_the_closed_activity(client, people, seen):
    client.force_login(people.leader_a)
    response = client.get(detail_url(seen.person, purpose="follow_up"))
    assert entries(response)[seen.closed.pk] == {"shown": True, "linked": True}


def test_map_points_only_where_details_may_be_seen(client, people, seen):
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, purpose="supervision"))
    content = response.content.decode()
    start = content.index('<script id="person-points" type="application/json">')
    points = json.loads(content[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert sorted((p["lat"], p["lng"]) for p in points) == [(-8.69, 115.168), (-6.301, 106.652)]
    assert "<script>" not in content  # no inline script: the map reads the JSON itself


def test_expired_permit_shows_its_days_of_overstay(client, people, seen):
    client.force_login(people.officer_a)
    response = client.get(detail_url(seen.person, purpose="permit_verification"))
    content = response.content.decode()
    assert 'data-status="expired" data-overstay="12"' in content
    assert 'data-testid="overstay"' in content


def test_a_merged_record_leads_to_the_surviving_one(client, people, seen):
    duplicate = person_create(by=people.officer_a, full_name="Zhang  Wei", nationality="CN").person
    ForeignNational.objects.filter(pk=duplicate.pk).update(merged_into=seen.person)
    client.force_login(people.officer_a)
    response = client.get(detail_url(duplicate, purpose="supervision"))
    assert response.status_code == 302
    assert response["Location"] == detail_url(seen.person, purpose="supervision")


def test_the_page_costs_the_same_queries_however_long_the_timeline(
    client, people, seen, django_assert_max_num_queries
):
    client.force_login(people.leader_a)
    url = detail_url(seen.person, purpose="supervision")
    client.get(url)  # sessions, memberships and the like warm up once
    # Session, user, memberships; person, documents, permits; the audit event (5 with its
    # savepoint); checks, findings, which activities the user may open; lodging stays.
    with django_assert_max_num_queries(17):
        client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for hours_ago in (5, 6, 7):
        check(people.officer_a, activity(people.officer_a, hours_ago=hours_ago), seen.person)
    permit_add(by=people.officer_a, person=seen.person, permit_type="ITK")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.context["timeline"]) == 6
    assert len(after.captured_queries) == len(before.captured_queries)
