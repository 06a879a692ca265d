"""The session and CSRF cookies of a login made with the production settings are Secure,
HttpOnly where JavaScript has no business reading them, and SameSite=Lax (issue "Security II").

The production settings are read in a fresh process with SILAHAP_ENV=production (they are decided
when the settings module loads), then applied to a real login over HTTPS here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from silahap.testing.personas import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
HOST = "silahap.example.go.id"
COOKIE_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
]


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILAHAP_", "DATABASE_URL"))}
    env.update(
        SILAHAP_ENV="production",
        SILAHAP_SECRET_KEY="p" * 60,
        SILAHAP_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('prod')}/prod.sqlite3",
    )
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def cookie_flags(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def test_the_production_settings_mark_both_cookies_secure(production_settings):
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True


@pytest.mark.django_db
def test_a_login_under_production_settings_sets_secure_cookies(client, people, production_settings):
    with override_settings(ALLOWED_HOSTS=[HOST], **production_settings):
        page = client.get(reverse("login"), secure=True, HTTP_HOST=HOST)
        login = client.post(
            reverse("login"),
            {"username": "officer_a", "password": PASSWORD},
            secure=True,
            HTTP_HOST=HOST,
        )
    assert page.status_code == 200
    assert login.status_code == 302
    csrf = cookie_flags(page, "csrftoken")
    session = cookie_flags(login, "sessionid")
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    # The session cookie is out of any script's reach.
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert "Secure" in login.cookies["sessionid"].output()


@pytest.mark.django_db
def test_plain_http_is_sent_to_https_before_any_cookie_is_set(client, people, production_settings):
    with override_settings(ALLOWED_HOSTS=[HOST], **production_settings):
        response = client.get(reverse("login"), HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"].startswith(f"https://{HOST}")
    assert not response.cookies
