"""The field flow with a keyboard alone (no pointer): log in, add an activity at a known place,
check a registered foreigner, submit the report. Each control is reached with Tab, in the page's
own order, and shows a visible focus ring when it is reached."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create
from silahap.reports.models import Check, DailyReport
from silahap.testing.personas import PASSWORD

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== "none");
}"""


def tab_to(page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_RING), f"no visible focus on {selector}"
            return
    pytest.fail(f"Tab never reached {selector}")


def test_an_officer_files_a_report_with_the_keyboard_alone(live_server, people, desktop):
    page = desktop
    place_create(
        by=people.officer_a,
        name="Hotel Papan Ketik",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.1783",
        longitude="106.6319",
    )
    person_create(
        by=people.officer_a,
        full_name="Keyboard Testperson",
        nationality="NL",
        sex="M",
        birth_date=datetime.date(1980, 1, 2),
        document_number="NLKB12345",
        document_country="NL",
    )
    page.goto(live_server.url + "/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("officer_a")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=home-title]")

    tab_to(page, "[data-testid=add-activity]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#activity-form")
    tab_to(page, "[name=warrant_number]")
    page.keyboard.type("W-KEY/2026")
    tab_to(page, "[name=warrant_date]")
    page.keyboard.type(timezone.localdate().strftime("%m%d%Y"))
    tab_to(page, "#place-search")
    page.keyboard.type("Papan Ketik")
    page.wait_for_selector("#place-options input[type=radio]")
    tab_to(page, "#place-options input[type=radio]")
    page.keyboard.press("Space")
    tab_to(page, "[name=description]")
    page.keyboard.type("Pemeriksaan tamu dengan papan ketik")
    tab_to(page, "[data-testid=save-activity]")
    page.keyboard.press("Enter")

    page.wait_for_selector("[data-testid=activity-facts]")
    assert "Hotel Papan Ketik" in page.locator("[data-testid=activity-place]").inner_text()
    tab_to(page, "[data-testid=person-search]")
    page.keyboard.type("Keyboard")
    page.wait_for_selector("[data-testid=person-results] button, [data-testid=person-results] a")
    tab_to(page, "[data-testid=person-results] button, [data-testid=person-results] a")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=person-chosen]:not([hidden])")
    tab_to(page, "input[name=result][value=compliant]")
    page.keyboard.press("Space")
    tab_to(page, "[data-testid=save-check]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=check]")
    assert Check.objects.filter(person__full_name="Keyboard Testperson").count() == 1

    tab_to(page, "[data-testid=back-to-report]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=submit-report]")
    tab_to(page, "[data-testid=submit-report]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=submitted-at]")
    assert DailyReport.objects.get(officer=people.officer_a).status == "submitted"
