"""Steps the browser tests share."""

from __future__ import annotations

from silahap.testing.personas import PASSWORD


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
