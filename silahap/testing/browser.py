"""Steps the browser tests share."""

from __future__ import annotations

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
    a time the test holds the site to.
    """
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=timeout
    )
