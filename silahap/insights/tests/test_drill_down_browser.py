"""analyst_national (like analis.pusat) drills from the national table down to one officer in
Tangerang, keeping the period, and downloads the office's monthly PDF, whose text holds the
numbers shown on screen. The page also fits a 360 px phone."""

from __future__ import annotations

import gzip
import re

import pytest
from pypdf import PdfReader

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


def _row(page, key: str) -> tuple[str, str]:
    row = page.locator(f"tr[data-metric={key}]")
    return row.locator("th").inner_text().strip(), row.locator("td").first.inner_text().strip()


def test_analyst_drills_from_national_to_an_officer_and_downloads_the_recap(
    live_server, week, desktop
):
    log_in(desktop, live_server.url, "analyst_national")
    desktop.click("[data-testid=nav-insights]")
    desktop.wait_for_selector("[data-testid=insights-title]")
    desktop.fill("[data-testid=period-input]", "2025-03")
    desktop.click("[data-testid=period-form] button[type=submit]")
    desktop.wait_for_url(re.compile(r"p=2025-03"))
    for name in ("Kanwil Banten", "Kanim Tangerang"):
        desktop.click(f"[data-testid=drill-unit]:text-is('{name}')")
        desktop.wait_for_selector(f"h1:has-text('{name}')")
        assert "p=2025-03" in desktop.url
    shown = {key: _row(desktop, key) for key in ("activities", "persons_checked", "reports_late")}
    assert shown["activities"][1] == "2"
    with desktop.expect_download() as download:
        desktop.click("[data-testid=recap-pdf]")
    pdf = PdfReader(download.value.path())
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for label, value in shown.values():
        assert re.search(re.escape(label) + r" ?" + re.escape(value), text), (label, value)
    for name in ("Seksi Inteldakim Tangerang", "Tim 1 Tangerang"):
        desktop.click(f"[data-testid=drill-unit]:text-is('{name}')")
        desktop.wait_for_selector(f"h1:has-text('{name}')")
    desktop.click("[data-testid=drill-officer]:text-is('Officer A')")
    desktop.wait_for_selector("h1:has-text('Officer A')")
    assert "p=2025-03" in desktop.url
    assert _row(desktop, "reports_late")[1] == "1"


def test_unit_page_fits_a_phone_and_stays_small(live_server, week, phone):
    log_in(phone, live_server.url, "leader_a")
    sizes = []
    # What a cold load transfers, each file gzipped as WhiteNoise and any proxy would send it.
    phone.on("response", lambda response: sizes.append(len(gzip.compress(response.body() or b""))))
    phone.goto(f"{live_server.url}/insights/unit/{week.section_a.pk}/?p=2025-03")
    phone.wait_for_selector("[data-testid=metric-table]")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    # The period box is wide enough to read what is typed (Pico's full-width button left it
    # 34 px on a 390 px phone).
    typed = phone.locator("[data-testid=period-input]").bounding_box()
    assert typed["width"] >= 150
    print(f"unit page, cold: {sum(sizes) / 1024:.1f} KB gzipped in {len(sizes)} files")
    assert sum(sizes) <= 120 * 1024
