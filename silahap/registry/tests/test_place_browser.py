"""On a phone: register a place through the cascading area selects, and find places near a point
on the map. Both with the site's CSP in force (no inline script)."""

import pytest

from silahap.registry.models import Place, Regency
from silahap.registry.services import place_create
from silahap.testing.personas import PASSWORD

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def watch_errors(page) -> list[str]:
    """Script errors and CSP refusals (what an inline script or style would cause)."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_an_officer_registers_a_place_choosing_its_areas_one_inside_the_other(
    live_server, people, phone
):
    errors = watch_errors(phone)
    log_in(phone, live_server.url, "officer_a")
    phone.goto(live_server.url + "/registry/places/new")
    phone.fill("[name=name]", "Kos Melati")
    phone.select_option("[name=kind]", "boarding_house")
    phone.select_option("[name=province]", "36")
    phone.wait_for_selector("[name=regency] option[value='36.71']", state="attached")
    phone.select_option("[name=regency]", "36.71")
    phone.wait_for_selector("[name=district] option[value='36.71.01']", state="attached")
    phone.select_option("[name=district]", "36.71.01")
    phone.wait_for_selector("[name=village] option[value='36.71.01.1001']", state="attached")
    phone.select_option("[name=village]", "36.71.01.1001")
    phone.click("[data-testid=place-save]")
    phone.wait_for_selector("[data-testid=place-name]")
    assert phone.locator("[data-testid=place-name]").inner_text() == "Kos Melati"
    place = Place.objects.get(name="Kos Melati")
    assert (place.regency_id, place.district_id, place.village_id) == (
        "36.71",
        "36.71.01",
        "36.71.01.1001",
    )
    assert errors == []


def test_places_near_a_point_are_drawn_on_the_map(live_server, people, phone):
    regency = Regency.objects.get(code="36.71")
    for name, latitude in (("Hotel Satu", "-6.178000"), ("Hotel Dua", "-6.180000")):
        place_create(
            by=people.officer_a,
            name=name,
            kind="hotel",
            regency=regency,
            latitude=latitude,
            longitude="106.630000",
        )
    errors = watch_errors(phone)
    log_in(phone, live_server.url, "officer_b")
    phone.goto(live_server.url + "/registry/places/near?lat=-6.179&lng=106.63&radius=1000")
    phone.wait_for_selector("#near-map .leaflet-marker-icon", state="attached")
    assert phone.locator("#near-map .leaflet-marker-icon").count() == 2
    assert phone.locator("[data-testid=near-result]").count() == 2
    assert errors == []
