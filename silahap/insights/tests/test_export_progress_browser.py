"""The export page, left open while the worker builds the file, offers the download by itself
(the polling script runs under the site's CSP; nobody reloads the page)."""

from __future__ import annotations

import pytest

from silahap.insights import tasks
from silahap.insights.models import ExportJob
from silahap.testing.personas import PASSWORD

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


def test_the_page_offers_the_file_once_the_worker_is_done(
    live_server, people, desktop, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        user=people.leader_a, unit=people.section_a, kind="activities", period="2025-03"
    )
    errors = []
    desktop.on("console", lambda message: message.type == "error" and errors.append(message.text))
    desktop.goto(live_server.url + "/login/")
    desktop.fill("#id_username", "leader_a")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("[data-testid=login-submit]")
    desktop.wait_for_selector("[data-testid=home-title]")
    desktop.goto(f"{live_server.url}/insights/exports/{job.pk}/")
    desktop.wait_for_selector("#export-progress")
    assert desktop.locator("[data-testid=export-download]").count() == 0
    tasks.build_export.call(job.pk)  # what the worker does, in another process
    desktop.wait_for_selector("[data-testid=export-download]", timeout=15_000)
    assert desktop.locator("#export-progress").count() == 0
    assert errors == []
