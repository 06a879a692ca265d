"""The joint operation on phones (360 px): the section leader plans it with Polri on team A, an
officer files an activity under it with a check and a finding, Polri records its action and sees
the results, and the leader downloads the report whose text holds the counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from silahap.accounts.models import Agency
from silahap.operations.models import Operation, OperationActivity, PartnerAction
from silahap.operations.services import operations as ops
from silahap.reports.models import ViolationType
from silahap.testing.mrz import td3
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MRZ = td3(
    surname="WANG",
    given_names="LEI",
    number="E7K2R9T4C",
    nationality="CHN",
    birth=datetime.date(1988, 3, 2),
    sex="M",
    expiry=datetime.date(2031, 6, 1),
)
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def log_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def local(moment) -> str:
    return timezone.localtime(moment, datetime.timezone(datetime.timedelta(hours=7))).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_a_joint_operation_from_plan_to_report_on_phones(live_server, people, browser):
    ViolationType.objects.get_or_create(
        code="overstay_gte_60",
        defaults={"name": "Overstay ≥ 60 hari", "article": "UU 6/2011 Pasal 78"},
    )
    base = live_server.url
    now = timezone.now()

    # The section leader plans the operation with Polri on team A.
    leader = browser.new_context(bypass_csp=True, accept_downloads=True, **PHONE)
    page = leader.new_page()
    log_in(page, base, "leader_a")
    page.goto(base + "/operations/new/")
    page.select_option("[name=unit]", str(people.section_a.pk))
    page.select_option("[name=kind]", "joint_timpora")
    page.fill("[name=number]", "OPS-GAB/BROWSER/1")
    page.fill("[name=name]", "Operasi Gabungan Jatake")
    page.fill("[name=starts_at]", local(now - datetime.timedelta(hours=2)))
    page.fill("[name=ends_at]", local(now + datetime.timedelta(days=1)))
    page.check(f"[name=agencies][value='{Agency.objects.get(code='polri').pk}']")
    page.click("[data-testid=save-operation]")
    page.wait_for_selector("[data-testid=operation-title]")
    assert no_sideways_scroll(page)
    operation = Operation.objects.get(number="OPS-GAB/BROWSER/1")
    page.click("summary:has-text('Tambah tim')")
    page.fill("form[action$='/plan/team/'] [name=name]", "A")
    page.select_option("form[action$='/plan/team/'] [name=leader]", str(people.officer_a.pk))
    page.click("[data-testid=add-team]")
    page.wait_for_selector("[data-testid=teams] h3")
    page.click("summary:has-text('Tambah anggota')")
    page.select_option("form[action$='/plan/member/'] [name=user]", str(people.partner.pk))
    page.select_option("form[action$='/plan/member/'] [name=team]", label="A")
    page.click("[data-testid=add-member]")
    page.wait_for_selector("[data-testid=teams] .agency")
    page.click("summary:has-text('Tambah sasaran')")
    page.fill("form[action$='/plan/target/'] [name=label]", "Kawasan Industri Jatake")
    page.click("[data-testid=add-target]")
    page.wait_for_selector("[data-testid=targets] li:has-text('Jatake')")
    ops.operation_approve(by=people.head_a, operation=operation)

    # An officer of team A files an activity under it, with a check and a finding.
    officer = browser.new_context(
        bypass_csp=True,
        geolocation={"latitude": -6.1783, "longitude": 106.6319, "accuracy": 12},
        permissions=["geolocation"],
        **PHONE,
    )
    field = officer.new_page()
    log_in(field, base, "officer_a")
    field.click("[data-testid=add-activity]")
    field.wait_for_selector("[data-testid=activity-operation]")
    assert field.is_checked(f"[data-testid=activity-operation] input[value='{operation.pk}']")
    field.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
    field.fill("[name=warrant_number]", "SP-77/INTEL/2026")
    field.fill("[name=warrant_date]", timezone.localdate().isoformat())
    field.click("[data-testid=place-tab-new]")
    field.fill("[name=new_place-name]", "PT Jatake Makmur")
    field.select_option("[name=new_place-kind]", "company")
    field.select_option("[data-testid=province]", "36")
    field.wait_for_selector("[data-testid=regency] option[value='36.71']", state="attached")
    field.select_option("[data-testid=regency]", "36.71")
    field.wait_for_selector("[data-testid=district] option[value='36.71.01']", state="attached")
    field.select_option("[data-testid=district]", "36.71.01")
    field.wait_for_selector("[data-testid=village] option:nth-child(2)", state="attached")
    field.select_option("[data-testid=village]", index=1)
    field.fill("[name=description]", "Pemeriksaan TKA bersama Polri")
    field.click("[data-testid=save-activity]")
    field.wait_for_selector("[data-testid=activity-facts]")
    assert OperationActivity.objects.filter(operation=operation).count() == 1
    field.click("[data-testid=person-new]")
    field.fill("[data-testid=mrz]", MRZ)
    field.click("[data-testid=mrz-read]")
    field.wait_for_function("document.querySelector('[name=\"person-full_name\"]').value !== ''")
    field.select_option("[name='person-nationality']", "CN")
    field.select_option("[name='person-document_country']", "CN")
    field.select_option("[name='person-permit_type']", "ITAS")
    expired = timezone.localdate() - datetime.timedelta(days=75)
    field.fill("[name='person-permit_valid_until']", expired.isoformat())
    # The expired permit's overstay finding is proposed ticked on the check form, saved with it.
    field.wait_for_selector("[data-testid=proposed-finding-note]:not([hidden])")
    field.click("[data-testid=save-check]")
    field.wait_for_selector("[data-testid=finding]")

    # Polri records its action and sees the results, document masked.
    partner = browser.new_context(bypass_csp=True, **PHONE)
    mitra = partner.new_page()
    log_in(mitra, base, "partner")
    mitra.click(f"[data-testid=partner-operation] a[href='{operation.get_absolute_url()}']")
    mitra.wait_for_selector("[data-testid=operation-title]")
    mitra.click("[data-testid=record-action]")
    mitra.select_option("[name=target]", index=1)
    mitra.fill("[name=description]", "2 orang dibawa ke Polres")
    mitra.fill("[name=count]", "2")
    mitra.click("[data-testid=save-action]")
    mitra.wait_for_selector("[data-testid=partner-results] td:has-text('Polri')")
    assert mitra.locator("[data-testid=checked]").inner_text() == "1"
    assert mitra.locator("[data-testid=findings-count]").inner_text() == "1"
    assert "E7K2R9T4C" not in mitra.content()
    assert no_sideways_scroll(mitra)
    assert PartnerAction.objects.filter(operation=operation, agency="polri").count() == 1

    # The leader downloads the report; its text holds the counts.
    page.goto(base + operation.get_absolute_url())
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    with open(download.value.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(sheet.extract_text() for sheet in pdf.pages)
    assert "LAPORAN HASIL OPERASI" in text
    assert "1 / 1" in text, text  # places visited / planned
    assert "E7K2R9T4C" in text
    assert "Polri" in text
    for context in (leader, officer, partner):
        context.close()
