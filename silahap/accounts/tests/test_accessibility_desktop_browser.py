"""Every page each role can reach has no axe-core violation of WCAG 2.0/2.1 A and AA,
on a desktop (1280 px): the pages come from the role × URL matrix,
so a page added there is checked here too. The site's content security policy stays on: a page
that logs a script error, a failed load or a policy refusal fails too. Pages with a widget or a
script that takes keys (maps, players, a page's own script) are also walked with Tab: focus must
leave the page without coming back to an element (nothing traps focus)."""

from __future__ import annotations

import pytest

from silahap.testing.axe import ROLES, report, walk

# The pages are the same templates on either database: the walk runs once, on SQLite.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("persona", ROLES)
def test_every_page_of_the_role_passes_axe_on_a_desktop(live_server, people, page, persona):
    failures = walk(page, live_server.url, people, persona, focus=True)
    assert failures == {}, report(failures)
