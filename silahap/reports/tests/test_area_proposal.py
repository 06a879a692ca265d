"""A new place's area is proposed from the GPS point, saying how: the nearest registered place
within the radius, else the office's single work-area regency; the place kind has no default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.registry.models import District, Regency, Village
from silahap.registry.services import place_create
from silahap.reports.area import distance_m
from silahap.reports.forms import NewPlaceForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, people):
    client.force_login(people.officer_a)
    return people.officer_a


def propose(client, lat, lng):
    response = client.get(reverse("reports:area_proposal"), {"lat": lat, "lng": lng})
    assert response.status_code == 200
    return response.json()


def test_the_nearest_registered_place_within_the_radius_gives_the_codes(client, officer):
    village = Village.objects.select_related("district__regency").first()
    district = village.district
    place_create(
        by=officer,
        name="Hotel Dekat",
        kind="hotel",
        regency=district.regency,
        district=district,
        village=village,
        latitude="-6.200000",
        longitude="106.600000",
    )
    other = Regency.objects.exclude(code=district.regency_id).first()
    place_create(
        by=officer,
        name="Hotel Jauh",
        kind="hotel",
        regency=other,
        latitude="-6.209000",
        longitude="106.600000",
    )
    proposal = propose(client, "-6.201", "106.6")
    assert proposal["method"] == "nearest_place"
    assert (proposal["regency"], proposal["district"], proposal["village"]) == (
        district.regency_id,
        district.code,
        village.code,
    )
    assert proposal["province"] == district.regency.province_id
    assert "Hotel Dekat" in proposal["note"]
    assert "111 m" in proposal["note"]


def test_without_a_place_nearby_the_offices_work_area_is_proposed(client, officer, people):
    office = people.section_a.office
    regency = Regency.objects.get(code="36.71")
    office.work_area.set([regency])
    place_create(
        by=officer, name="Far", kind="hotel", regency=regency, latitude="-7.5", longitude="110.0"
    )
    proposal = propose(client, "-6.2", "106.6")
    assert proposal["method"] == "work_area"
    assert (proposal["province"], proposal["regency"]) == ("36", "36.71")
    assert proposal["district"] == ""


def test_nothing_is_proposed_when_neither_method_knows(client, officer, people):
    people.section_a.office.work_area.set(Regency.objects.filter(code__in=["36.71", "36.03"]))
    assert propose(client, "-6.2", "106.6")["method"] == "none"


def test_a_point_off_the_globe_is_a_bad_request(client, officer):
    response = client.get(reverse("reports:area_proposal"), {"lat": "91", "lng": "0"})
    assert response.status_code == 400


def test_distance_is_in_metres():
    assert round(distance_m(-6.2, 106.6, -6.201, 106.6)) == 111


def test_the_place_kind_has_no_silent_default():
    form = NewPlaceForm({"name": "Kos Melati", "province": "36", "regency": "36.71"})
    assert not form.is_valid()
    assert "kind" in form.errors
    assert NewPlaceForm()["kind"].value() in (None, "")
    assert District  # the area tables are loaded for the tests above
