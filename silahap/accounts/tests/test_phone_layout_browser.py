"""At 360 px: the header is one row, the field menu's labels stay on one line, and radios and
checkboxes look like radios and checkboxes (issue "Field reporting III", item 8). The role walk
(test_accessibility_phone_browser) checks that no page is wider than the screen."""

import pytest

from silahap.testing.axe import log_in

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

ROW = """() => {
  const bar = document.querySelector(".topbar");
  const items = [...bar.querySelectorAll("nav > ul > li")].filter(li => li.offsetParent !== null);
  const middles = items.map(li => { const box = li.getBoundingClientRect();
    return Math.round((box.top + box.bottom) / 16); });
  const tops = new Set(middles);
  return {height: bar.offsetHeight, rows: tops.size, wide: document.documentElement.scrollWidth};
}"""
FIELD_MENU = """() => [...document.querySelectorAll(".bottom-nav a")].map(a => {
  const line = parseFloat(getComputedStyle(a).lineHeight) || 24;
  const box = a.getBoundingClientRect();
  return {text: a.textContent.trim(), lines: Math.round((a.scrollHeight - 2 * parseFloat(
    getComputedStyle(a).paddingTop)) / line), width: box.width};
})"""
CONTROLS = """() => [...document.querySelectorAll("main input:is([type=radio], [type=checkbox])")]
  .filter(input => input.offsetParent !== null)
  .map(input => { const box = input.getBoundingClientRect();
    return [input.name, Math.round(box.width), Math.round(box.height)]; })"""


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("persona", ["officer_a", "leader_a"])
def test_the_header_is_one_row_on_a_phone(live_server, people, phone_page, persona):
    log_in(phone_page, live_server.url, getattr(people, persona).username)
    header = phone_page.evaluate(ROW)
    assert header["rows"] == 1, header
    assert header["height"] <= 72, header
    assert header["wide"] <= 360
    # The language is chosen at the foot of the page instead.
    assert phone_page.locator(".topbar [data-testid=language-switch]").count() == 0
    assert phone_page.locator("footer [data-testid=language-switch]").count() == 1


def test_the_field_menu_keeps_each_label_on_one_line(live_server, people, phone_page):
    log_in(phone_page, live_server.url, "officer_a")
    menu = phone_page.evaluate(FIELD_MENU)
    assert len(menu) == 4
    assert [item["lines"] for item in menu] == [1, 1, 1, 1], menu
    assert all(item["width"] >= 44 for item in menu)


def test_radios_and_checkboxes_are_round_and_square_not_ovals(live_server, people, phone_page):
    log_in(phone_page, live_server.url, "officer_a")
    phone_page.goto(live_server.url + "/reports/activities/new/")
    controls = phone_page.evaluate(CONTROLS)
    assert controls, "the activity form has radios or checkboxes"
    assert [c for c in controls if c[1] != c[2] or not 14 <= c[1] <= 28] == []
