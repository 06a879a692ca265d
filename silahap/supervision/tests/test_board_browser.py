"""A leader keeps the live board open; an officer's new activity appears without a reload."""

import datetime
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from silahap.reports import services as reports
from silahap.testing.external import shared_redis_cache
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_a_new_activity_appears_on_the_live_board_within_ten_seconds(live_server, people, desktop):
    log_in(desktop, live_server.url, "leader_a")
    desktop.goto(live_server.url + "/supervision/board/")
    desktop.wait_for_selector("[data-testid=board-empty]")
    loads = []
    desktop.on("load", lambda page: loads.append(page.url))
    desktop.evaluate("window.__sameDocument = true")

    activity = reports.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="apoa",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        latitude="-6.178",
        longitude="106.630",
    )

    row = desktop.wait_for_selector(
        f"[data-testid=board-activity][data-activity='{activity.pk}']", timeout=10_000
    )
    assert "Officer A" in row.inner_text()
    assert desktop.evaluate("window.__sameDocument") is True  # no reload happened
    assert loads == []
    assert desktop.locator("[data-testid=board-count]").inner_text() == "1"
    assert (
        desktop.locator("#board-map .leaflet-marker-icon, #board-map .marker-cluster").count() == 1
    )

    # The same poll moves the officer's row and the review badge when the report is filed.
    queue = desktop.locator("[data-testid=board-queue-count]")
    waiting = int(queue.inner_text())
    reports.report_submit(report=activity.report, by=people.officer_a)
    desktop.wait_for_selector(
        "[data-testid=officer-row][data-officer=officer_a][data-state=filed]", timeout=10_000
    )
    assert int(queue.inner_text()) == waiting + 1
    officer = desktop.locator("[data-testid=officer-row][data-officer=officer_a]")
    assert "1" in officer.locator("[data-field=activities]").inner_text()
    assert officer.locator("[data-field=state] .badge.submitted").count() == 1
    assert desktop.evaluate("window.__sameDocument") is True


def test_a_poll_with_nothing_new_is_a_304_and_the_next_activity_still_appears(
    live_server, people, desktop, settings
):
    settings.SILAHAP_BOARD_POLL_SECONDS = 1
    with shared_redis_cache() as config, override_settings(CACHES=config):
        log_in(desktop, live_server.url, "leader_a")
        polls = []
        desktop.on(
            "response",
            lambda response: (
                polls.append((response.status, response.request.headers.get("if-none-match", "")))
                if "/supervision/board/feed/" in response.url
                else None
            ),
        )
        desktop.goto(live_server.url + "/supervision/board/")
        desktop.wait_for_selector("[data-testid=board-empty]")
        desktop.wait_for_timeout(3500)
        assert polls[0] == (200, "")  # the first poll asks for everything
        assert len(polls) >= 2, polls
        assert all(status == 304 and label for status, label in polls[1:]), polls

        activity = reports.activity_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            kind="administrative",
            source="apoa",
            started_at=timezone.now() - datetime.timedelta(minutes=5),
        )
        desktop.wait_for_selector(
            f"[data-testid=board-activity][data-activity='{activity.pk}']", timeout=10_000
        )
        assert desktop.locator("[data-testid=board-count]").inner_text() == "1"
        assert 200 in [status for status, _ in polls[2:]]
