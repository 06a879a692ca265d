import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    place = place_create(
        by=people.officer_a,
        name="Kawasan Industri Jatake",
        kind="industrial_estate",
        regency=Regency.objects.get(code="36.03"),
        latitude="-6.210000",
        longitude="106.560000",
    )
    for minutes in (120, 60):
        services.activity_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            kind="field",
            source="independent",
            started_at=timezone.now() - datetime.timedelta(minutes=minutes),
            place=place,
        )
    return place


def test_place_page_shows_its_history(client, people, place, django_assert_max_num_queries):
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(10):
        response = client.get(place.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="place-activity"') == 2
    assert 'data-testid="place-map"' in content


def test_other_offices_see_the_place_but_not_our_activities(client, people, place):
    client.force_login(people.officer_b)
    content = client.get(place.get_absolute_url()).content.decode()
    assert "Kawasan Industri Jatake" in content
    assert 'data-testid="place-activity"' not in content


def test_partners_get_404(client, people, place):
    client.force_login(people.partner)
    assert client.get(place.get_absolute_url()).status_code == 404
