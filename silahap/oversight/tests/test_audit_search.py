"""Leaders, analysts and administrators search the trail of the people in their units."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.audit.models import AuditEvent

URL = reverse("audit:search")


def events(user, count: int, action: str = "person.view", **fields) -> list[AuditEvent]:
    return [
        audit.record(action=action, actor=user, object_type="test", object_id=n, **fields)
        for n in range(count)
    ]


def shown(response) -> list[int]:
    return [event.sequence for event in response.context["events"]]


def search(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


@pytest.mark.django_db
def test_a_leader_sees_the_events_of_their_units_people_newest_first(client, people):
    mine = events(people.officer_a, 3)
    events(people.officer_b, 2)
    response = search(client, people.leader_a, action="person.view")
    assert response.status_code == 200
    assert shown(response) == [event.sequence for event in reversed(mine)]


@pytest.mark.django_db
def test_an_analyst_sees_their_region_and_not_another(client, people):
    events(people.officer_a, 1)
    events(people.officer_b, 1)
    response = search(client, people.analyst)
    actors = {event.actor_id for event in response.context["events"]}
    assert people.officer_a.pk in actors
    assert people.officer_b.pk not in actors


@pytest.mark.django_db
def test_an_office_administrator_sees_their_offices_people(client, people):
    events(people.leader_a, 1, action="report.approve")
    response = search(client, people.office_admin, action="report.approve")
    assert [event.actor for event in response.context["events"]] == [people.leader_a]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "partner"])
def test_officers_and_partners_are_refused(client, people, persona):
    assert search(client, getattr(people, persona)).status_code == 403


@pytest.mark.django_db
def test_what_someone_did_in_a_former_office_stays_with_that_office(client, people):
    mover = accounts.user_create(by=None, username="mover", full_name="Mover", password=None)
    before = timezone.localdate() - datetime.timedelta(days=30)
    moved_on = timezone.localdate() - datetime.timedelta(days=10)
    old = accounts.membership_create(
        by=None, user=mover, unit=people.section_b, role="officer", start_date=before
    )
    accounts.membership_end(by=None, membership=old, end_date=moved_on)
    accounts.membership_create(
        by=None,
        user=mover,
        unit=people.team_a,
        role="officer",
        start_date=moved_on + datetime.timedelta(days=1),
    )
    with time_machine.travel(timezone.now() - datetime.timedelta(days=20)):
        in_denpasar = events(mover, 1, action="test.in_denpasar")[0]
    in_tangerang = events(mover, 1, action="test.in_tangerang")[0]
    seen_by_a = shown(search(client, people.leader_a, actor="mover"))
    assert seen_by_a == [in_tangerang.sequence]
    seen_by_b = shown(search(client, people.leader_b, actor="mover"))
    assert seen_by_b == [in_denpasar.sequence]


@pytest.mark.django_db
def test_filters_narrow_by_actor_nip_action_target_purpose_and_text(client, people):
    User.objects.filter(pk=people.officer_a2.pk).update(nip="198001012005011001")
    events(people.officer_a, 2)
    wanted = audit.record(
        action="person.view",
        actor=people.officer_a2,
        object_type="registry.foreignnational",
        object_id=42,
        purpose="follow_up",
        summary={"from": "activity/7"},
    )
    events(people.officer_a2, 1, action="report.submit")
    cases = [
        {"actor": "198001012005011001", "action": "person."},
        {"actor": "officer a2", "purpose": "follow_up"},
        {"object_type": "registry.foreignnational", "object_id": "42"},
        {"text": "activity/7"},
    ]
    for params in cases:
        assert shown(search(client, people.leader_a, **params)) == [wanted.sequence], params


@pytest.mark.django_db
def test_a_date_range_is_read_in_local_days(client, people):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)):
        late_evening_utc = events(people.officer_a, 1)[0]  # 3 March, 06:30 in Jakarta
    with time_machine.travel(datetime.datetime(2026, 3, 4, 1, 0, tzinfo=datetime.UTC)):
        events(people.officer_a, 1)
    response = search(client, people.leader_a, date_from="2026-03-03", date_to="2026-03-03")
    assert shown(response) == [late_evening_utc.sequence]


@pytest.mark.django_db
def test_an_end_before_the_start_comes_back_with_the_problem(client, people):
    client.cookies["silahap_language"] = "en"
    response = search(client, people.leader_a, date_from="2026-03-05", date_to="2026-03-01")
    assert response.status_code == 422
    assert "before the start" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.search").exists()


@pytest.mark.django_db
def test_pages_go_back_in_time_fifty_at_a_time(client, people):
    made = events(people.officer_a, 60)
    first = search(client, people.leader_a, action="person.view")
    assert shown(first) == [e.sequence for e in reversed(made[10:])]
    older = first.context["older"]
    assert older == made[10].sequence
    second = search(client, people.leader_a, action="person.view", before=older)
    assert shown(second) == [e.sequence for e in reversed(made[:10])]
    assert second.context["older"] is None


@pytest.mark.django_db
def test_each_search_is_recorded_with_its_filters(client, people):
    events(people.officer_a, 2)
    search(client, people.leader_a, actor="officer_a", purpose="supervision")
    event = AuditEvent.objects.get(action="audit.search")
    assert event.actor == people.leader_a
    assert event.summary["filters"] == {"actor": "officer_a", "purpose": "supervision"}
    assert event.summary["results"] == 0


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_few_or_many_events(client, people):
    client.force_login(people.leader_a)
    client.get(URL)  # the session and the first chain head, once
    events(people.officer_a, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    events(people.officer_a2, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    # Their own login and searches are in the trail too.
    assert len(response.context["events"]) >= 43
    assert len(many) == len(few) <= 12
