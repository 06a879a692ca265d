"""An officer files a report from a phone: new place, a foreigner from a pasted MRZ, an overstay."""

import datetime

import pytest
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.reports.models import (
    Activity,
    Check,
    DailyReport,
    Finding,
    ReportRevision,
    ViolationType,
)
from silahap.testing.mrz import td3
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A German passport built with valid check digits; its number is used by no other test, so the
# registry cannot already hold it (which would lead to that person and their own permit).
MRZ = td3(
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    number="C4F7K2R9T",
    nationality="D",
    birth=datetime.date(1974, 8, 12),
    sex="F",
    expiry=datetime.date(2032, 4, 15),
)


def log_in(page, base_url):
    page.goto(base_url + "/login/")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def ensure_overstay_types():
    for code, name in [
        ("overstay_lt_60", "Overstay < 60 hari"),
        ("overstay_gte_60", "Overstay ≥ 60 hari"),
    ]:
        ViolationType.objects.get_or_create(
            code=code, defaults={"name": name, "article": "UU 6/2011 Pasal 78"}
        )


def test_officer_files_a_report_at_a_new_place_with_an_mrz_and_an_overstay(
    live_server, people, browser
):
    ensure_overstay_types()
    context = browser.new_context(
        bypass_csp=True,  # Playwright's wait_for_function evaluates code in the page
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": -6.1783, "longitude": 106.6319, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = context.new_page()
    log_in(page, live_server.url)
    assert page.locator("[data-testid=home-title]").inner_text() == "Laporan hari ini"

    page.click("[data-testid=add-activity]")
    page.wait_for_selector("#activity-form")
    page.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
    assert "12 m" in page.locator("[data-testid=location-status]").inner_text()
    page.fill("[name=warrant_number]", "W.9.IMI.IMI.4-GR.02.03-0777")
    page.fill("[name=warrant_date]", timezone.localdate().isoformat())
    page.click("[data-testid=place-tab-new]")
    page.fill("[name=new_place-name]", "Hotel Cisadane Indah")
    page.select_option("[name=new_place-kind]", "hotel")
    page.select_option("[data-testid=province]", "36")
    page.wait_for_selector("[data-testid=regency] option[value='36.71']", state="attached")
    page.select_option("[data-testid=regency]", "36.71")
    page.wait_for_selector("[data-testid=district] option[value='36.71.01']", state="attached")
    page.select_option("[data-testid=district]", "36.71.01")
    page.wait_for_selector("[data-testid=village] option:nth-child(2)", state="attached")
    page.select_option("[data-testid=village]", index=1)
    page.fill("[name=description]", "Pemeriksaan tamu hotel")
    page.click("[data-testid=save-activity]")

    page.wait_for_selector("[data-testid=activity-facts]")
    assert "Hotel Cisadane Indah" in page.locator("[data-testid=activity-place]").inner_text()
    page.click("[data-testid=person-new]")
    page.fill("[data-testid=mrz]", MRZ)
    page.click("[data-testid=mrz-read]")
    page.wait_for_function("document.querySelector('[name=\"person-full_name\"]').value !== ''")
    assert page.input_value("[name='person-full_name']") == "ANNA MARIA ERIKSSON"
    assert page.input_value("[name='person-document_number']") == "C4F7K2R9T"
    page.select_option("[name='person-nationality']", "DE")
    page.select_option("[name='person-document_country']", "DE")
    page.select_option("[name='person-permit_type']", "ITAS")
    expired = timezone.localdate() - datetime.timedelta(days=75)
    page.fill("[name='person-permit_valid_until']", expired.isoformat())
    # The expired permit sets the result to Finding; the officer unticks "record the proposed
    # finding" to review the proposal on its own form first.
    page.wait_for_selector("[data-testid=proposed-finding-note]:not([hidden])")
    assert page.is_checked("input[name=result][value=finding]")
    page.uncheck("[data-testid=record-proposed-finding] input")
    page.click("[data-testid=save-check]")

    page.wait_for_selector("[data-testid=overstay-proposal]")
    assert "75" in page.locator("[data-testid=overstay-proposal]").inner_text()
    over_60 = ViolationType.objects.get(code="overstay_gte_60")
    assert page.input_value("[name=violation_type]") == str(over_60.pk)
    page.click("[data-testid=save-finding]")
    page.wait_for_selector("[data-testid=finding]")

    page.click("[data-testid=back-to-report]")
    page.wait_for_selector("[data-testid=submit-report]")
    # A double tap on submit: the page sends one request, and the id makes a second one harmless.
    page.dblclick("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=submitted-at]")
    assert page.locator("[data-testid=report-status]").inner_text() == "Terkirim"
    card = page.locator("[data-testid=activity-card]")
    assert card.count() == 1
    assert "Hotel Cisadane Indah" in card.inner_text()
    assert "1 orang asing diperiksa" in card.inner_text()
    assert "1 temuan" in card.inner_text()

    report = DailyReport.objects.get(officer=people.officer_a)
    assert report.status == "submitted"
    assert ReportRevision.objects.filter(report=report).count() == 1
    assert Activity.objects.filter(report=report).count() == 1
    assert Check.objects.count() == 1
    finding = Finding.objects.get()
    assert finding.violation_type.code == "overstay_gte_60"
    assert finding.overstay_days == 75
    assert AuditEvent.objects.filter(action="report.submit").count() == 1
    context.close()


def test_a_retried_save_creates_nothing_twice(live_server, people, phone):
    log_in(phone, live_server.url)
    phone.click("[data-testid=add-activity]")
    phone.click("label:has(input[name=kind][value=administrative])")
    phone.fill("[name=description]", "Verifikasi data penjamin")
    # Keep the exact request the phone sends, to replay it as a retry after a lost answer would.
    phone.evaluate(
        "sessionStorage.setItem('saved', new URLSearchParams("
        "new FormData(document.getElementById('activity-form'))).toString())"
    )
    phone.click("[data-testid=save-activity]")
    phone.wait_for_selector("[data-testid=activity-facts]")
    first_url = phone.url.split("#")[0]  # it lands on the check form; fetch drops the fragment
    replayed_url = phone.evaluate(
        """() => fetch('/reports/activities/new/', {
                    method: 'POST', body: new URLSearchParams(sessionStorage.getItem('saved'))
                 }).then(response => response.url)"""
    )
    assert replayed_url == first_url
    assert Activity.objects.count() == 1
