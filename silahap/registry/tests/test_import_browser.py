"""An office administrator uploads a file on a phone, reads the dry run, confirms, and watches
the progress bar of a running import until it is done."""

from __future__ import annotations

import pytest

from silahap.registry.models import ForeignNational
from silahap.registry.models_imports import ImportJob
from silahap.registry.tests.import_helpers import PERSON_HEADER, csv_bytes, upload
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    ["Anna Maria Eriksson", "SE", "L898902C3", "", "F", "12/08/1974", "ITAS", "2C1", "2026-01-09"],
    ["Nowhere Man", "Atlantis", "A2", "", "", "", "", "", ""],
]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "silahap_language", "value": "en", "url": base_url}])
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_an_administrator_checks_and_imports_a_file(live_server, people, phone, tmp_path):
    path = tmp_path / "orang-asing.csv"
    path.write_bytes(csv_bytes(PERSON_HEADER, ROWS))
    log_in(phone, live_server.url, "office_admin")
    phone.goto(live_server.url + "/registry/imports/")
    phone.select_option("#id_kind", "persons")
    phone.set_input_files("#id_file", str(path))
    phone.click("[data-testid=import-upload]")
    phone.wait_for_selector("[data-testid=import-status][data-status=checked]")
    assert phone.locator("[data-testid=count-created]").inner_text() == "1"
    assert phone.locator("[data-testid=count-refused]").inner_text() == "1"
    refused = phone.locator("[data-testid=import-row][data-outcome=refused]")
    assert refused.get_attribute("data-line") == "3"
    assert "unknown country" in refused.inner_text()
    assert ForeignNational.objects.count() == 0
    phone.click("[data-testid=import-confirm]")
    phone.wait_for_selector("[data-testid=import-status][data-status=applied]")
    assert ForeignNational.objects.count() == 1


def test_the_progress_bar_follows_a_running_import(live_server, people, desktop):
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status="applying", processed_rows=0)
    log_in(desktop, live_server.url, "leader_a")
    desktop.goto(live_server.url + job.get_absolute_url())
    desktop.wait_for_selector("#import-progress")
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=1)
    desktop.wait_for_function(
        "document.getElementById('import-progress').value === 1", timeout=10_000
    )
    ImportJob.objects.filter(pk=job.pk).update(status="applied", processed_rows=2)
    desktop.wait_for_selector("[data-testid=import-status][data-status=applied]", timeout=10_000)
    assert desktop.locator("#import-progress").count() == 0
