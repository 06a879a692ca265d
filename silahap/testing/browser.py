"""Steps the browser tests share."""

from __future__ import annotations

import threading
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from silahap.testing.personas import PASSWORD


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")


def controlled_by_service_worker(page, timeout: float = 120_000) -> None:
    """Wait until the service worker controls the page (the second load after registering).

    Installing it fetches the offline shell and its assets, which on a machine busy with other
    test workers has taken more than Playwright's default 30 s; the wait is for it to happen, not
    a time the test holds the site to. A registration whose script fetch failed is not retried
    by the browser until the next page load (a phone would load another page soon), so a page
    still not controlled after a while is loaded again, the way a person would; each load
    registers again.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            page.wait_for_function(CONTROLLED, timeout=min(30_000, timeout))
            return
        except PlaywrightTimeoutError:
            if time.monotonic() >= deadline:
                raise
            page.reload()


CONTROLLED = "navigator.serviceWorker && navigator.serviceWorker.controller !== null"


def requests_finished(timeout: float = 15.0) -> None:
    """Wait until the live server has answered every request the page left behind.

    A video the page was streaming keeps a server thread (and its database connection) busy for
    a moment after the page is gone; the in-memory SQLite database cannot be emptied after the
    test while it does ("database table is locked"), and every later test of that worker fails.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        serving = [
            thread
            for thread in threading.enumerate()
            if "process_request_thread" in thread.name and thread.is_alive()
        ]
        if not serving:
            return
        serving[0].join(0.1)
