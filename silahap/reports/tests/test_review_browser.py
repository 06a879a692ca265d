"""A leader returns a report with a reason, the officer fixes and resubmits, the leader approves."""

import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_return_fix_resubmit_approve(live_server, people, phone):
    place = place_create(
        by=people.officer_a,
        name="PT Sinar Jaya",
        kind="factory",
        regency=Regency.objects.get(code="36.03"),
        latitude="-6.2",
        longitude="106.5",
    )
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        place=place,
        warrant_number="W-12",
        warrant_date=timezone.localdate(),
    )
    services.report_submit(report=activity.report, by=people.officer_a)

    log_in(phone, live_server.url, "leader_a")
    assert phone.locator("[data-testid=queue-count]").inner_text() == "1"
    phone.click("[data-testid=open-queue]")
    phone.click("[data-testid=queue-report]")
    phone.click("[data-testid=open-return]")
    phone.click("[data-testid=return]")  # no reason yet: refused, nothing changes
    phone.wait_for_selector(".errorlist")
    assert DailyReport.objects.get().status == "submitted"
    phone.fill("[name=reason]", "Kesimpulan belum diisi.")
    phone.click("[data-testid=return]")
    phone.wait_for_selector("[data-testid=queue-empty]")

    log_in(phone, live_server.url, "officer_a")
    assert "Kesimpulan belum diisi." in phone.locator("[data-testid=return-reason]").inner_text()
    phone.click("[data-testid=submit-report]")
    phone.wait_for_selector("[data-testid=submitted-at]")
    report = DailyReport.objects.get()
    assert report.status == "submitted"
    assert report.revision_number == 2

    log_in(phone, live_server.url, "leader_a")
    phone.click("[data-testid=open-queue]")
    phone.click("[data-testid=queue-report]")
    assert phone.locator("[data-testid=decisions]").inner_text().count("Dikembalikan") == 1
    phone.click("[data-testid=approve]")
    phone.wait_for_selector("[data-testid=queue-empty]")
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.decided_by == people.leader_a
