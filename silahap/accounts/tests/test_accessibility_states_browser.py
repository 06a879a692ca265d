"""Pages in the states a walk of plain GETs never sees pass axe too: forms that came back with
errors (each error tied to its field, focus on the first one, the title saying so), the live board
after a poll, and the return dialog opened."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.testing.axe import log_in, report, violations

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


def assert_clean(page, where: str) -> None:
    found = violations(page)
    assert found == [], report({where: found})


def assert_error_state(page, where: str) -> None:
    assert page.title().startswith("Galat: "), f"{where}: title {page.title()!r}"
    focused = page.evaluate(
        "() => [document.activeElement.getAttribute('aria-invalid'),"
        " document.activeElement.getAttribute('aria-describedby')]"
    )
    assert focused[0] == "true", f"{where}: focus is not on a field with an error"
    described = page.locator(f"#{focused[1].split()[-1]}")
    assert described.inner_text().strip(), f"{where}: the field's error text is missing"
    assert_clean(page, where)


def test_forms_with_errors_tie_each_error_to_its_field(live_server, people, phone):
    log_in(phone, live_server.url, people.officer_a.username)
    phone.goto(live_server.url + reverse("reports:activity_create"))
    phone.fill("[name=started_at]", "")
    phone.click("[data-testid=save-activity]")
    phone.wait_for_selector(".errorlist")
    assert_error_state(phone, "activity form")

    phone.goto(live_server.url + reverse("registry:place_create"))
    phone.click("[data-testid=place-save]")
    phone.wait_for_selector(".errorlist")
    assert_error_state(phone, "place form")


def test_the_board_after_a_poll_and_the_return_dialog_pass(live_server, people, phone):
    place = place_create(
        by=people.officer_a,
        name="PT Aksesibel",
        kind="factory",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.2",
        longitude="106.6",
    )
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        place=place,
        warrant_number="W-A11Y",
        warrant_date=timezone.localdate(),
    )
    services.report_submit(report=activity.report, by=people.officer_a)
    log_in(phone, live_server.url, people.leader_a.username)
    phone.goto(live_server.url + reverse("supervision:board"))
    phone.wait_for_selector("[data-testid=board-title]")
    before = int(phone.locator("[data-testid=board-count]").inner_text())
    services.activity_create(
        by=people.officer_a2,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        place=place,
        warrant_number="W-A11Y-2",
        warrant_date=timezone.localdate(),
    )
    # The board polls itself: the new activity arrives without a reload.
    phone.wait_for_function(
        f"document.querySelector('[data-testid=board-count]').textContent === '{before + 1}'",
        timeout=20_000,
    )
    assert_clean(phone, "board after a poll")

    phone.goto(live_server.url + reverse("reports:review_queue"))
    phone.click("[data-testid=queue-report]")
    phone.click("[data-testid=open-return]")
    phone.wait_for_selector("[name=reason]", state="visible")
    assert_clean(phone, "return dialog open")
    phone.click("[data-testid=return]")
    phone.wait_for_selector(".errorlist")
    assert_error_state(phone, "return without a reason")
