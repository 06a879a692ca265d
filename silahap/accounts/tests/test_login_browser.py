import pytest

from silahap.testing.browser import log_in

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize(
    ("username", "title"),
    [("officer_a", "Laporan hari ini"), ("leader_a", "Ringkasan unit")],
)
def test_each_role_lands_on_its_home_page_in_indonesian(
    request, live_server, people, screen, username, title
):
    page = request.getfixturevalue(screen)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Masuk ke SiLAHAP"
    log_in(page, live_server.url, username)
    page.wait_for_selector("[data-testid=home-title]")
    assert page.locator("[data-testid=home-title]").inner_text() == title
    assert page.locator("html").get_attribute("lang") == "id"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"


def test_switching_to_english_and_back(live_server, people, phone):
    log_in(phone, live_server.url, "officer_a")
    phone.wait_for_selector("[data-testid=home-title]")
    phone.click("[data-testid=language-switch] button")
    phone.wait_for_selector("html[lang=en]")
    assert phone.locator("[data-testid=home-title]").inner_text() == "Today's report"
    phone.click("[data-testid=language-switch] button")
    phone.wait_for_selector("html[lang=id]")
    assert phone.locator("[data-testid=home-title]").inner_text() == "Laporan hari ini"


def test_wrong_password_keeps_the_username_and_says_why(live_server, people, phone):
    phone.goto(live_server.url + "/login/")
    phone.fill("#id_username", "officer_a")
    phone.fill("#id_password", "not-the-password")
    phone.click("[data-testid=login-submit]")
    error = phone.locator("[data-testid=login-error]")
    assert "tidak cocok" in error.inner_text()
    assert phone.input_value("#id_username") == "officer_a"
