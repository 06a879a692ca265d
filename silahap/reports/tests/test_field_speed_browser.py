"""Filing is faster than WhatsApp: interactions, seconds and bytes on a throttled phone.

The fixed flow of #15 item 1: an activity at a new place (name, kind, area confirmed), under the
day's warrant, one foreigner from a pasted MRZ, the proposed finding accepted, one photo, submit;
in Chromium at 360×740 on slow 3G (about 400 kbit/s, 400 ms latency) with the service worker
blocked, so the throttle applies to every byte. Interactions are counted as the issue defines
them: every tap, click, select choice, file choice, paste, or focus to type counts 1; typed
characters count 0; a value pre-filled and visible that the officer leaves alone counts 0. The
figures are written to var/bench/field_speed.json, which `make bench` prints.
"""

import datetime
import json
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from silahap.registry.models import Village
from silahap.registry.services import place_create
from silahap.reports.models import Activity, DailyReport, Evidence, Finding
from silahap.supervision.services import warrant_create
from silahap.testing.mrz import td3
from silahap.testing.personas import PASSWORD
from silahap.testing.wire import Wire

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
# Times are asserted only in `make bench` (SILAHAP_BENCH=1): a busy machine must not fail the suite.
TIMED = os.environ.get("SILAHAP_BENCH") == "1"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
# The target is 12 (#15 item 1); what the flow takes is asserted exactly, so a change that adds or
# saves a step shows here. The time is asserted at twice the 20 s target.
TARGET_INTERACTIONS, INTERACTIONS, MAX_SECONDS = 12, 12, 2 * 20
FIRST_PAGE_BYTES, LATER_PAGE_BYTES, MAP_LIBRARY = 120_000, 50_000, 60_000


class Recorder:
    """Counts what the officer does (taps, choices) apart from typing, and the bytes each page
    cost as the phone received them (Chromium's count: compressed, headers included, nothing
    for what came from its cache; the server answers as `make run` does)."""

    def __init__(self, page):
        self.page, self.interactions = page, 0
        self.wire = Wire(page)
        self.bytes_by_page: list[int] = [0]
        self.map_library_page: int | None = None

    def close_page(self):
        total, fetched = self.wire.take()
        self.bytes_by_page[-1] += total
        if any("/leaflet" in url for url in fetched):
            self.map_library_page = len(self.bytes_by_page) - 1

    def next_page(self):
        self.close_page()
        self.bytes_by_page.append(0)

    def tap(self, selector, opens_page=False):
        self.interactions += 1
        if opens_page:
            self.next_page()
        self.page.click(selector)

    def choose(self, selector, value):
        self.interactions += 1
        self.page.select_option(selector, value)

    def type(self, selector, text):
        self.interactions += 1  # the focus to type; the characters themselves count 0
        self.page.fill(selector, text)

    def paste(self, selector, text):
        self.interactions += 2  # the focus, then the paste
        self.page.fill(selector, text)

    def choose_file(self, selector, path):
        self.interactions += 2  # the tap that opens the camera/gallery sheet, then the choice
        self.next_page()
        self.page.set_input_files(selector, path)


def test_filing_a_full_report_on_slow_3g(served, people, browser, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = people.office_a.local_today()
    # The day's only warrant naming the officer, and a place registered near the point before:
    # both are proposed on the form and left as they are (0 interactions).
    warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number="W.9.IMI.IMI.4-GR.02.03-0912",
        issued_on=today,
        signer="Kasi Inteldakim",
        period_start=today,
        period_end=today + datetime.timedelta(days=6),
        members=[people.officer_a],
    )
    village = Village.objects.filter(district__regency_id="36.71").order_by("code").first()
    place_create(
        by=people.leader_a,
        name="Ruko Kali Angke",
        kind="restaurant",
        regency=village.district.regency,
        district=village.district,
        village=village,
        latitude="-6.179000",
        longitude="106.632500",
    )
    context = browser.new_context(
        service_workers="block",
        bypass_csp=True,  # Playwright's wait_for_function evaluates code in the page
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": -6.1783, "longitude": 106.6319, "accuracy": 15},
        permissions=["geolocation"],
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    rec = Recorder(page)
    photo = tmp_path / "hotel.jpg"
    Image.new("RGB", (1280, 960), (90, 120, 160)).save(photo, format="JPEG", quality=85)
    expiry = people.office_a.local_today() - datetime.timedelta(days=20)
    mrz = td3(
        surname="ZHANG",
        given_names="WEI",
        number="E98765432",
        nationality="CHN",
        birth=datetime.date(1988, 3, 4),
        sex="M",
        expiry=datetime.date(2031, 1, 2),
    )

    page.goto(served + "/login/")
    page.fill("#id_username", "officer_a")  # logging in is not part of filing
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")  # logging in is not part of filing
    page.wait_for_selector("[data-testid=home-title]")
    # The officer reads today's page for a moment (no page prefetches the map library).
    page.wait_for_load_state("networkidle")
    started = time.monotonic()
    rec.close_page()
    first_page = rec.bytes_by_page[0]  # the login page with every shared asset

    rec.tap("[data-testid=add-activity]", opens_page=True)
    page.wait_for_selector("#activity-form")
    page.wait_for_load_state("domcontentloaded")  # its scripts have run (deferred)
    page.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
    # The day's warrant is shown chosen; the officer leaves it.
    chosen = page.eval_on_selector("[data-testid=activity-warrant] input:checked", "e => e.value")
    assert chosen != ""
    # The new place's name is typed straight away (no tab to open first).
    rec.type("[name=new_place-name]", "Hotel Kali Angke")
    rec.choose("[name=new_place-kind]", "hotel")  # no silent default
    page.wait_for_selector("[data-testid=area-note]:not([hidden])")
    page.wait_for_function(
        f"document.getElementById('id_new_place-village').value === '{village.code}'"
    )  # proposed from the place registered nearby, confirmed as it is
    rec.tap("[data-testid=save-activity]", opens_page=True)
    page.wait_for_selector("[data-testid=activity-facts]")
    page.wait_for_load_state("domcontentloaded")  # its scripts have run (deferred)

    # The MRZ box is on the screen without a tap on "+ New person"; the pasted zone opens and
    # fills the new person's fields.
    rec.paste("[data-testid=mrz]", mrz)
    page.wait_for_function("document.querySelector('[name=\"person-full_name\"]').value !== ''")
    rec.choose("[name='person-permit_type']", "ITAS")
    rec.type("[name='person-permit_valid_until']", expiry.isoformat())
    # The expired permit proposes the finding on the check form, visibly: the result is set to
    # Finding and "record the proposed finding" is ticked; the officer leaves both (0).
    page.wait_for_selector("[data-testid=proposed-finding-note]:not([hidden])")
    assert page.is_checked("input[name=result][value=finding]")
    assert page.is_visible("[data-testid=record-proposed-finding] input")
    assert page.is_checked("[data-testid=record-proposed-finding] input")
    rec.tap("[data-testid=save-check]", opens_page=True)
    page.wait_for_selector("[data-testid=finding]")
    page.wait_for_load_state("domcontentloaded")  # its scripts have run (deferred)

    rec.choose_file("[data-testid=photo-input]", str(photo))
    page.wait_for_selector("[data-testid=photo]", timeout=60000)
    # Submitted from the activity, right below the photos, with nothing left missing.
    assert page.locator("[data-testid=missing-before-submit]").count() == 0
    rec.tap("[data-testid=submit-report-here]", opens_page=True)
    page.wait_for_selector("[data-testid=submitted-at]")
    seconds = time.monotonic() - started
    rec.close_page()
    context.close()

    report = DailyReport.objects.get(officer=people.officer_a)
    assert report.status == "submitted"
    finding = Finding.objects.get()
    assert (finding.violation_type.code, finding.overstay_days) == ("overstay_lt_60", 20)
    assert finding.check_record.result == "finding"
    assert Evidence.objects.count() == 1
    activity = Activity.objects.get()
    assert activity.warrant_number == "W.9.IMI.IMI.4-GR.02.03-0912"
    assert activity.place.village_id == village.code
    figures = {
        "interactions": rec.interactions,
        "interactions_target": TARGET_INTERACTIONS,
        "seconds_target": MAX_SECONDS / 2,
        "seconds": round(seconds, 1),
        "first_page_bytes": first_page,
        "later_page_bytes_max": max(rec.bytes_by_page[1:]),
        "later_page_bytes": rec.bytes_by_page[1:],
        # The first page with a map may bring the map library once (≤ 60 KB more).
        "map_library_page": rec.map_library_page,
        "network": "slow 3G: 400 kbit/s, 400 ms latency, 360x740, service worker blocked",
    }
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "field_speed.json").write_text(json.dumps(figures, indent=2))
    print("field speed:", json.dumps(figures))
    assert rec.interactions == INTERACTIONS <= TARGET_INTERACTIONS
    # The time is the bench's to hold (make bench); the suite holds taps and bytes.
    assert not TIMED or seconds <= MAX_SECONDS
    assert figures["first_page_bytes"] <= FIRST_PAGE_BYTES
    for number, size in enumerate(rec.bytes_by_page[1:], start=1):
        limit = LATER_PAGE_BYTES + (MAP_LIBRARY if number == rec.map_library_page else 0)
        assert size <= limit, figures["later_page_bytes"]
