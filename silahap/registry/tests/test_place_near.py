"""Places within a radius of a point, nearest first, on a map."""

import json

import pytest

from silahap.registry.models import Regency
from silahap.registry.services import place_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(people):
    regency = Regency.objects.get(code="36.71")

    def at(name, latitude, longitude):
        return place_create(
            by=people.officer_a,
            name=name,
            kind="hotel",
            regency=regency,
            latitude=latitude,
            longitude=longitude,
        )

    # 0.001 degree of latitude is about 111 m.
    return {
        "here": at("Hotel Di Sini", "-6.178000", "106.630000"),
        "near": at("Hotel Dekat", "-6.182000", "106.630000"),
        "far": at("Hotel Jauh", "-6.200000", "106.630000"),
    }


def test_places_within_the_radius_come_nearest_first(
    client, people, places, django_assert_max_num_queries
):
    client.force_login(people.officer_b)
    with django_assert_max_num_queries(8):
        response = client.get("/registry/places/near?lat=-6.1785&lng=106.63&radius=1000")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="near-result"') == 2
    assert content.index("Hotel Di Sini") < content.index("Hotel Dekat")
    assert f'data-place-id="{places["far"].pk}"' not in content


def test_a_wider_radius_reaches_further_and_the_map_gets_every_place(client, people, places):
    client.force_login(people.officer_a)
    content = client.get(
        "/registry/places/near?lat=-6.1785&lng=106.63&radius=5000"
    ).content.decode()
    assert content.count('data-testid="near-result"') == 3
    data = content.split('<script id="near-points" type="application/json">')[1].split("</script>")[
        0
    ]
    near = json.loads(data)
    assert near["radius"] == 5000
    assert {place["label"] for place in near["places"]} == {
        "Hotel Di Sini",
        "Hotel Dekat",
        "Hotel Jauh",
    }
    assert "<script>" not in content  # data only: the map is drawn by static/js/place_near.js


def test_a_point_out_of_range_answers_422(client, people):
    client.force_login(people.officer_a)
    assert client.get("/registry/places/near?lat=95&lng=106.63").status_code == 422


def test_without_a_point_the_form_is_shown(client, people):
    client.force_login(people.officer_a)
    response = client.get("/registry/places/near")
    assert response.status_code == 200
    assert 'data-testid="near-results"' not in response.content.decode()


def test_partners_are_refused(client, people, places):
    client.force_login(people.partner)
    assert client.get("/registry/places/near?lat=-6.1785&lng=106.63").status_code == 403


def test_the_place_picker_gives_metres_and_kilometres_as_such(client, people, places):
    client.force_login(people.officer_a)
    response = client.get("/registry/places/options?lat=-6.1785&lng=106.63")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hotel Di Sini" in content
    assert " · 56 m" in content  # 0.0005° of latitude
    assert " · 2,4 km" in content  # Hotel Jauh, 0.0215° away, in Indonesian number format
    assert "2390" not in content
