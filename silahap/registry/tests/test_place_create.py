"""Registering a place from the registry's own form."""

import pytest

from silahap.registry.models import Place
from silahap.testing.idempotency import page_key

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Villa Sunset",
    "kind": "villa",
    "address": "Jl. Pantai 7",
    "province": "51",
    "regency": "51.71",
    "district": "51.71.01",
    "village": "",
    "latitude": "-8.70",
    "longitude": "115.21",
}


def test_an_officer_registers_a_place_and_a_double_submit_makes_one(client, people):
    client.force_login(people.officer_b)
    key = page_key(client.get("/registry/places/new"))
    first = client.post("/registry/places/new", {**DATA, "client_id": key})
    second = client.post("/registry/places/new", {**DATA, "client_id": key})
    place = Place.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == place.get_absolute_url()
    assert (place.regency_id, place.district_id, place.created_by) == (
        "51.71",
        "51.71.01",
        people.officer_b,
    )


def test_a_regency_of_another_province_is_refused_and_what_was_typed_kept(client, people):
    client.force_login(people.officer_b)
    response = client.post("/registry/places/new", {**DATA, "regency": "36.71", "district": ""})
    content = response.content.decode()
    assert response.status_code == 422
    assert 'value="Villa Sunset"' in content
    assert not Place.objects.exists()


def test_the_empty_form_lists_provinces_only(client, people):
    client.force_login(people.officer_a)
    content = client.get("/registry/places/new").content.decode()
    assert '<option value="36">' in content
    assert 'value="36.71"' not in content


def test_partners_are_refused(client, people):
    client.force_login(people.partner)
    assert client.post("/registry/places/new", DATA).status_code == 403
    assert not Place.objects.exists()
