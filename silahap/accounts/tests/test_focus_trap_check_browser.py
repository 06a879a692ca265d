"""The accessibility walk's focus-trap check can fail: a page whose script sends Tab back to an
earlier field is reported, the same page without that script is not."""

from __future__ import annotations

import pytest

from silahap.testing.axe import focus_trap_problems

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [pytest.mark.browser, pytest.mark.one_database("sqlite")]

FIELDS = """<main><div class="leaflet-container"><input id="a"><input id="b"></div>
<input id="c"><details><summary>More</summary><input id="hidden-in-closed-details"></details>
</main>"""
TRAP = """<script>
document.addEventListener("keydown", (event) => {
  if (event.key === "Tab" && document.activeElement.id === "b") {
    event.preventDefault();
    document.getElementById("a").focus();
  }
});
</script>"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_a_script_that_sends_tab_back_is_a_trap(page):
    page.set_content("<input id='first'>" + FIELDS + TRAP)
    problems = focus_trap_problems(page)
    assert len(problems) == 1
    assert problems[0].startswith("focus-trap: Tab comes back to")
    assert "input#a" in problems[0]


def test_a_trap_that_returns_to_the_first_stop_leaves_stops_unreached(page):
    page.set_content(FIELDS + TRAP)
    problems = focus_trap_problems(page)
    assert len(problems) == 1
    assert problems[0].startswith("focus-trap: never reached by Tab: input#c")
    assert "hidden-in-closed-details" not in problems[0]


def test_a_page_tabbed_through_to_the_end_has_no_trap(page):
    page.set_content(FIELDS)
    assert focus_trap_problems(page) == []


def test_a_page_without_a_widget_or_script_is_not_walked(page):
    page.set_content("<main><input id='a'></main>" + TRAP.replace('"b"', '"a"'))
    assert focus_trap_problems(page) == []
