"""In Chromium: the check form says the official status is unavailable when the lookup is slow,
and the API reference lists every operation under the site's CSP."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import field_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_dg(monkeypatch):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the name http.server calls
            time.sleep(3)
            try:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"found": false}')
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SILAHAP_PERMIT_LOOKUP_URL", f"http://127.0.0.1:{server.server_address[1]}/")
    monkeypatch.setenv("SILAHAP_PERMIT_LOOKUP_TIMEOUT", "0.5")
    yield
    server.shutdown()
    server.server_close()


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_a_slow_lookup_shows_status_unavailable_and_the_form_stays_usable(
    live_server, people, phone, slow_dg
):
    activity = field_activity(people)
    sign_in(phone, live_server, "officer_a")
    phone.goto(live_server.url + f"/reports/activities/{activity.pk}/")
    phone.click("[data-testid=person-new]")
    phone.select_option("#id_person-nationality", "SE")
    phone.fill("#id_person-document_number", "L898902C3")
    box = phone.locator("[data-testid=official-permit-status]")
    box.wait_for(state="visible")
    phone.wait_for_function(
        "document.getElementById('official-permit-status').textContent.includes('tidak tersedia')",
        timeout=6000,
    )
    assert phone.locator("[data-testid=save-check]").is_enabled()


def test_the_reference_page_lists_the_operations_under_the_csp(live_server, people, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    sign_in(page, live_server, "leader_a")
    page.goto(live_server.url + "/api/v1/reference/")
    page.wait_for_selector("[data-testid=api-operation]")
    assert page.locator("[data-testid=api-operation]").count() > 20
    context.close()
    assert refused == []
