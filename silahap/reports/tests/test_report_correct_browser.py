"""A returned report is corrected on a phone: the officer adds the missing warrant to one activity,
removes another that did not belong, resubmits, and the leader sees what changed."""

import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.models import Activity, DailyReport
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_officer_corrects_a_returned_report_by_editing_and_removing(live_server, people, phone):
    place = place_create(
        by=people.officer_a,
        name="PT Sinar Jaya",
        kind="factory",
        regency=Regency.objects.get(code="36.03"),
    )
    now = timezone.now()
    fixed = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=now - datetime.timedelta(hours=2),
        place=place,
        warrant_to_follow=True,
    )
    stray = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="apoa",
        started_at=now - datetime.timedelta(hours=1),
        description="Belongs to yesterday.",
    )
    services.report_submit(report=fixed.report, by=people.officer_a)
    services.report_return(
        report=fixed.report, by=people.leader_a, reason="Nomor SP belum ada; hapus kegiatan APOA."
    )

    log_in(phone, live_server.url, "officer_a")
    phone.locator("[data-testid=activity-card]").first.click()
    phone.click("[data-testid=edit-activity]")
    phone.uncheck("[name=warrant_to_follow]")
    phone.fill("[name=warrant_number]", "SP-21/INTEL/2026")
    phone.fill("[name=warrant_date]", timezone.localdate().isoformat())
    phone.click("[data-testid=save-activity]")
    phone.wait_for_selector("[data-testid=activity-facts]")
    assert "SP-21/INTEL/2026" in phone.locator("[data-testid=activity-facts]").inner_text()

    phone.click("[data-testid=back-to-report]")
    phone.locator("[data-testid=activity-card]").nth(1).click()
    phone.click("[data-testid=delete-activity] summary")
    phone.click("[data-testid=confirm-delete-activity]")
    phone.wait_for_selector("[data-testid=activities]")
    assert phone.locator("[data-testid=activity-card]").count() == 1
    assert not Activity.objects.filter(pk=stray.pk).exists()

    phone.click("[data-testid=submit-report]")
    phone.wait_for_selector("[data-testid=submitted-at]")
    report = DailyReport.objects.get()
    assert (report.status, report.revision_number) == ("submitted", 2)

    log_in(phone, live_server.url, "leader_a")
    phone.goto(live_server.url + report.get_absolute_url())
    changes = phone.locator("[data-testid=revision-changes]").inner_text()
    assert "Belongs" not in changes
    local = timezone.localtime(stray.started_at, report.unit.zone).strftime("%H:%M")
    assert f"{local}: " in changes
    assert "nomor surat perintah" in changes  # the warrant number, named as changed
