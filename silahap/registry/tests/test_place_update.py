"""Correcting a place: name, kind, address, nested areas and its point."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.registry.models import District, Place, Regency, Village
from silahap.registry.services import place_create, place_update
from silahap.reports.tests.factories import audit_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    return place_create(
        by=people.officer_a,
        name="Hotel Lama",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
    )


def test_an_officer_corrects_the_name_areas_and_point(people, place):
    with audit_records("place.update"):
        updated = place_update(
            by=people.officer_b,
            place=place,
            name="  Hotel   Baru ",
            district=District.objects.get(code="36.71.01"),
            village=Village.objects.get(code="36.71.01.1001"),
            latitude=Decimal("-6.178"),
            longitude=Decimal("106.63"),
        )
    assert updated.name == "Hotel Baru"
    assert updated.normalized_name == "baru hotel"
    place.refresh_from_db()
    assert place.village_id == "36.71.01.1001"
    assert place.latitude == Decimal("-6.178")


def test_a_district_of_another_regency_is_refused(people, place):
    with pytest.raises(ValidationError) as error:
        place_update(
            by=people.officer_a, place=place, district=District.objects.get(code="36.03.01")
        )
    assert "district" in error.value.message_dict


def test_half_a_point_is_refused(people, place):
    with pytest.raises(ValidationError) as error:
        place_update(by=people.officer_a, place=place, latitude=Decimal("-6.1"))
    assert "latitude" in error.value.message_dict


def test_nothing_changed_writes_nothing(people, place):
    with audit_records():
        place_update(by=people.officer_a, place=place, name="Hotel Lama", kind="hotel")


def test_a_merged_place_is_not_corrected(people, place):
    target = place_create(
        by=people.officer_a, name="Hotel Utama", kind="hotel", regency=place.regency
    )
    Place.objects.filter(pk=place.pk).update(merged_into=target)
    with pytest.raises(ValidationError):
        place_update(by=people.officer_a, place=place, name="X")


def test_a_partner_may_not_correct_a_place(people, place):
    with pytest.raises(PermissionDenied):
        place_update(by=people.partner, place=place, name="X")


def form_data(**changes):
    data = {
        "name": "Hotel Lama",
        "kind": "hotel",
        "province": "36",
        "regency": "36.71",
        "district": "",
        "village": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(changes)
    return data


def test_the_form_shows_the_areas_of_the_record_and_saves(client, people, place):
    client.force_login(people.officer_a)
    url = f"/registry/places/{place.pk}/edit"
    page = client.get(url).content.decode()
    assert '<option value="36.71" selected>' in page
    response = client.post(url, form_data(district="36.71.01", village="36.71.01.1002"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.village_id == "36.71.01.1002"


def test_a_refused_form_keeps_the_areas_chosen(client, people, place):
    client.force_login(people.officer_a)
    response = client.post(
        f"/registry/places/{place.pk}/edit",
        form_data(name="Hotel Baru", district="36.71.01", latitude="-6.2"),
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert 'value="Hotel Baru"' in content
    assert '<option value="36.71.01" selected>' in content
    assert "36.71.01.1001" in content  # the villages of the chosen district are offered


def test_partners_get_404(client, people, place):
    client.force_login(people.partner)
    assert client.get(f"/registry/places/{place.pk}/edit").status_code == 404
