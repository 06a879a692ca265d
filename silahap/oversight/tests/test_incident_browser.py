"""On a phone, an office administrator registers a breach and sees the notice clock run."""

import pytest

from silahap.oversight.models import Incident
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_an_administrator_registers_an_incident_on_a_phone(live_server, people, phone):
    log_in(phone, live_server.url, "office_admin")
    phone.goto(live_server.url + "/audit/incidents/")
    phone.click("[data-testid=incident-create-link]")
    phone.fill("#id_reference", "INC/PHONE/2026")
    phone.fill("#id_discovered_at", "2026-01-01T08:00")
    phone.fill("#id_description", "A printed list of checked foreigners was left in a cafe.")
    phone.check("input[name=data_categories][value=identity]")
    phone.fill("#id_subjects_count", "12")
    phone.click("[data-testid=incident-save]")
    phone.wait_for_selector("[data-testid=incident-overdue]")
    assert Incident.objects.get().reference == "INC/PHONE/2026"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone.goto(live_server.url + "/audit/incidents/")
    assert phone.locator("[data-testid=incident-row][data-overdue=true]").count() == 1
