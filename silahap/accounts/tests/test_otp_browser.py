"""A leader sets up an authenticator on a phone, then logs in again with a code."""

from __future__ import annotations

import base64
import binascii

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts.tests.helpers import ROLES, code_for
from silahap.testing.browser import log_in

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


def _next_code_in(user, key: str) -> int:
    """Seconds from now to the first time step the device will still take: after the step the
    enrolment spent, at the drift it learnt (a code typed across a step's boundary at enrolment
    moves its window one step back, where now + 30 s would fall outside it)."""
    device = TOTPDevice.objects.get(user=user)
    now = TOTP(binascii.unhexlify(key)).t()
    return (max(device.last_t + 1, now + device.drift) - now) * 30


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_enrol_log_out_and_log_in_again_with_a_code(live_server, people, phone, settings):
    settings.SILAHAP_SECOND_FACTOR_ROLES = ROLES
    log_in(phone, live_server.url, "leader_a")
    phone.wait_for_selector("[data-testid=otp-enrol-title]")
    qr_width = phone.eval_on_selector("[data-testid=otp-qr]", "img => img.naturalWidth")
    assert qr_width > 0
    assert fits(phone), "the enrolment page scrolls sideways"
    phone.click("details summary")
    secret = phone.locator("[data-testid=otp-secret]").inner_text().replace(" ", "")
    key = binascii.hexlify(base64.b32decode(secret)).decode()
    phone.fill("#id_code", code_for(key))
    phone.click("[data-testid=otp-confirm]")
    phone.wait_for_selector("[data-testid=recovery-codes]")
    assert phone.locator("[data-testid=recovery-codes] li").count() == 10
    assert fits(phone), "the recovery codes page scrolls sideways"
    phone.click("[data-testid=otp-continue]")
    phone.wait_for_selector("[data-testid=home-title]")
    phone.click("form[data-logout] button")
    phone.wait_for_selector("[data-testid=login-submit]")
    log_in(phone, live_server.url, "leader_a")
    phone.wait_for_selector("[data-testid=otp-verify-title]")
    # A later time step: the enrolment's own code is spent.
    phone.fill("#id_code", code_for(key, seconds_later=_next_code_in(people.leader_a, key)))
    phone.click("[data-testid=otp-submit]")
    phone.wait_for_selector("[data-testid=home-title]")
    assert fits(phone), "the home page scrolls sideways"
