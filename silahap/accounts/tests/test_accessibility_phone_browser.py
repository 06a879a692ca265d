"""Every page each role can reach has no axe-core violation of WCAG 2.0/2.1 A and AA,
on a phone (360 px): the pages come from the role × URL matrix,
so a page added there is checked here too. The site's content security policy stays on: a page
that logs a script error, a failed load or a policy refusal fails too.
On the phone no page is wider than the screen, and none scrolls sideways at 200 % text."""

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
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("persona", ROLES)
def test_every_page_of_the_role_passes_axe_on_a_phone(live_server, people, page, persona):
    failures = walk(page, live_server.url, people, persona, reflow=True)
    assert failures == {}, report(failures)
