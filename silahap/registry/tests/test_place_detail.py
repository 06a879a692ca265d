"""A place's page: its history as the viewer may see it, and the foreigners seen there."""

import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    return place_create(
        by=people.officer_a,
        name="Kawasan Industri Jatake",
        kind="industrial_estate",
        regency=Regency.objects.get(code="36.03"),
        latitude="-6.210000",
        longitude="106.560000",
    )


def activity_at(place, *, by, minutes_ago, **extra):
    return services.activity_create(
        by=by,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        place=place,
        **extra,
    )


def check(activity, foreigner, *, by):
    return services.check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        person=foreigner,
        verification_method="physical_document",
        result="compliant",
    )


def test_the_history_is_newest_first_with_officer_and_unit(
    client, people, place, django_assert_max_num_queries
):
    older = activity_at(place, by=people.officer_a, minutes_ago=120)
    newer = activity_at(place, by=people.officer_a2, minutes_ago=60)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(16):
        response = client.get(place.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="place-activity"') == 2
    assert content.index(newer.get_absolute_url()) < content.index(older.get_absolute_url())
    assert "Officer A2" in content
    assert 'data-testid="place-map"' in content


def test_a_long_history_comes_in_pages(client, people, place, django_assert_max_num_queries):
    for minutes in range(25):
        activity_at(place, by=people.officer_a, minutes_ago=minutes + 1)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(16):
        content = client.get(place.get_absolute_url() + "?page=2").content.decode()
    assert content.count('data-testid="place-activity"') == 5


def test_other_offices_see_the_place_but_not_our_activities(client, people, place):
    activity_at(place, by=people.officer_a, minutes_ago=30)
    client.force_login(people.officer_b)
    content = client.get(place.get_absolute_url()).content.decode()
    assert "Kawasan Industri Jatake" in content
    assert 'data-testid="place-activity"' not in content


def test_the_foreigners_seen_here_are_listed_nationally_latest_first(client, people, place):
    li_wei = person(by=people.officer_a, name="Li Wei", document="E2222222")
    wang_fang = person(by=people.officer_a, name="Wang Fang", document="E1111111")
    first = activity_at(place, by=people.officer_a, minutes_ago=90)
    check(first, li_wei, by=people.officer_a)
    check(first, wang_fang, by=people.officer_a)
    check(activity_at(place, by=people.officer_a, minutes_ago=30), wang_fang, by=people.officer_a)
    client.force_login(people.officer_b)
    client.cookies["silahap_language"] = "en"
    content = client.get(place.get_absolute_url()).content.decode()
    assert content.count('data-testid="place-person"') == 2
    assert content.index("Wang Fang") < content.index("Li Wei")
    assert "checked 2 times" in content
    event = AuditEvent.objects.get(action="place.view", actor=people.officer_b)
    assert event.summary["persons"] == 2


def test_a_closed_activity_names_nobody_to_those_who_may_not_read_it(client, people, place):
    closed = activity_at(place, by=people.officer_a, minutes_ago=30, classification="closed")
    foreigner = person(by=people.officer_a, name="Ivan Petrov", document="R7777777")
    check(closed, foreigner, by=people.officer_a)
    client.force_login(people.officer_b)
    assert "Ivan Petrov" not in client.get(place.get_absolute_url()).content.decode()
    client.force_login(people.leader_a)
    assert "Ivan Petrov" in client.get(place.get_absolute_url()).content.decode()


def test_partners_get_404(client, people, place):
    client.force_login(people.partner)
    assert client.get(place.get_absolute_url()).status_code == 404
