"""Every page a person can open carries the security headers; signed-in pages are never stored."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from silahap.accounts.middleware import NoStoreMiddleware
from silahap.testing.url_matrix import MATRIX, PERSONAS

# Served to anyone and holding no personal data; they set their own caching.
PUBLIC = {"healthz", "service_worker", "login", "favicon", "offline_shell"}


def first_reader(expectations: dict[str, int]) -> str | None:
    return next((p for p in PERSONAS if p != "anonymous" and expectations.get(p) == 200), None)


PAGES = [
    (name, persona)
    for name, row in sorted(MATRIX.items())
    if "GET" in row.methods and (persona := first_reader(row.methods["GET"])) is not None
]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_common_headers(response) -> None:
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["worker-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_signed_in_page_has_security_headers_and_is_not_stored(client, people, name, persona):
    row = MATRIX[name]
    client.force_login(people.by_name(persona))
    response = client.get(row.url(people))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert_common_headers(response)
    else:
        # A file (a warrant scan, a photo) may carry a stricter policy of its own (sandbox).
        assert response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
    if name not in PUBLIC:
        assert "no-store" in response["Cache-Control"], f"{name} may be cached"


@pytest.mark.django_db
def test_login_page_has_security_headers(client):
    response = client.get(reverse("login"))
    assert_common_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_public_files_keep_their_own_caching(client):
    response = client.get(reverse("service_worker"))
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_a_page_that_sets_its_caching_keeps_it(client, people, rf):

    request = rf.get("/")
    request.user = people.officer_a

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private, max-age=60"
        return response

    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "private, max-age=60"


def test_production_settings_pass_the_deploy_check():

    # The browser tests' fixture allows async-unsafe calls in this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "SILAHAP_ENV": "production",
        "SILAHAP_SECRET_KEY": secrets.token_urlsafe(60),
        "SILAHAP_ALLOWED_HOSTS": "silahap.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
