"""The place list: by name, kind and regency, in pages; merged places left out."""

import pytest

from silahap.registry.models import Place, Regency
from silahap.registry.services import place_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(people):
    tangerang, denpasar = Regency.objects.get(code="36.71"), Regency.objects.get(code="51.71")
    made = [
        place_create(
            by=people.officer_a,
            name=f"Hotel Nomor {n:02}",
            kind="hotel",
            regency=tangerang if n % 2 else denpasar,
        )
        for n in range(24)
    ]
    made.append(
        place_create(by=people.officer_a, name="Pabrik Sepatu", kind="factory", regency=tangerang)
    )
    return made


def listing(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/registry/places/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_comes_in_pages_in_a_fixed_number_of_queries(
    client, people, places, django_assert_max_num_queries
):
    client.force_login(people.officer_b)
    with django_assert_max_num_queries(8):
        content = client.get("/registry/places/").content.decode()
    assert content.count('data-testid="place-result"') == 20
    assert 'data-count="25"' in content


def test_filters_by_words_of_the_name_kind_and_regency(client, people, places):
    assert 'data-count="1"' in listing(client, people.officer_a, "?q=sepatu")
    assert 'data-count="1"' in listing(client, people.officer_a, "?q=nomor+07")
    assert 'data-count="1"' in listing(client, people.officer_a, "?kind=factory")
    assert 'data-count="12"' in listing(client, people.officer_a, "?regency=51.71")


def test_a_merged_place_is_not_listed(client, people, places):
    Place.objects.filter(pk=places[0].pk).update(merged_into=places[1])
    assert 'data-count="24"' in listing(client, people.officer_a)


def test_partners_are_refused(client, people):
    client.force_login(people.partner)
    assert client.get("/registry/places/").status_code == 403
