"""The day map: two activities at one spot share a marker instead of breaking the map, and the
times on it are the office's, not UTC (issue "Field reporting III", maps that work)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.testing.personas import PASSWORD

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

WIB = datetime.timezone(datetime.timedelta(hours=7))


def test_two_activities_at_one_spot_share_a_marker_with_local_times(live_server, people, phone):
    spot = place_create(
        by=people.officer_a,
        name="Hotel Satu Titik",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.178",
        longitude="106.63",
    )
    today = timezone.localdate(timezone=WIB)
    starts = [datetime.datetime.combine(today, datetime.time(h, 5), tzinfo=WIB) for h in (8, 10)]
    now = timezone.now()
    if starts[1] > now:  # early in the day: use yesterday's morning, both in the past
        starts = [moment - datetime.timedelta(days=1) for moment in starts]
    activity = None
    for started in starts:
        activity = services.activity_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            kind="administrative",
            source="independent",
            started_at=started,
            place=spot,
            latitude="-6.178000",
            longitude="106.630000",
        )
    phone.goto(live_server.url + "/login/")
    phone.fill("#id_username", "officer_a")
    phone.fill("#id_password", PASSWORD)
    phone.click("[data-testid=login-submit]")
    phone.wait_for_selector("[data-testid=home-title]")
    errors, missing = [], []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.on("response", lambda response: response.status == 404 and missing.append(response.url))
    phone.goto(live_server.url + activity.report.get_absolute_url())
    phone.wait_for_selector("#day-map .leaflet-tooltip")
    assert errors == []
    assert missing == []  # the icon too: no /favicon.ico 404 on a cold start
    assert phone.locator("#day-map .leaflet-marker-icon").count() == 1
    assert phone.locator("#day-map .leaflet-tooltip").inner_text() == "08:05 · 10:05"
    transform = phone.locator("#day-map .leaflet-marker-icon").get_attribute("style")
    assert "NaN" not in transform
    # The pin is where the spot is: inside the map, not pushed into a corner.
    holder = phone.locator("#day-map").bounding_box()
    pin = phone.locator("#day-map .leaflet-marker-icon").bounding_box()
    assert holder["x"] < pin["x"] < holder["x"] + holder["width"] - pin["width"]
    assert holder["y"] < pin["y"] < holder["y"] + holder["height"] - pin["height"]
    # Leaflet's own 25x41 pin, without the CSS framework's button box around it.
    look = phone.locator("#day-map .leaflet-marker-icon").evaluate(
        "pin => { const s = getComputedStyle(pin);"
        " return [s.backgroundColor, s.paddingTop, s.borderTopWidth, pin.offsetHeight]; }"
    )
    assert look == ["rgba(0, 0, 0, 0)", "0px", "0px", 41]
    # No operator tiles set: a plain background and a scale, and no request to a tile server.
    assert "map-plain" in phone.locator("#day-map").get_attribute("class")
    assert phone.locator("#day-map .leaflet-control-scale").count() == 1
    assert phone.locator("#day-map .leaflet-tile").count() == 0
    # The map's icon-only buttons are named in the page's language.
    assert phone.locator("#day-map .leaflet-control-zoom-in").get_attribute("aria-label") == (
        "Perbesar"
    )
    assert phone.locator("#day-map .leaflet-control-zoom-out").get_attribute("title") == "Perkecil"
