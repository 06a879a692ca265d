"""The permit lookup adapter: the registry by default, an HTTP endpoint with a timeout, and the
check form's box that says "status unavailable" instead of waiting."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from django.urls import reverse

from silahap.integration.permits.lookup import (
    HttpPermitLookup,
    LookupUnavailable,
    RegistryPermitLookup,
)
from silahap.registry.services import person_create
from silahap.testing.url_matrix import field_activity

pytestmark = pytest.mark.django_db
STATUS = "integration:permit_status"


@pytest.fixture
def fake_dg():
    """A small stand-in for the DG's system on loopback: answers as told, after a delay."""
    behaviour = {"delay": 0.0, "status": 200, "body": {"found": False}, "asked": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the name http.server calls
            behaviour["asked"].append((self.path, self.headers.get("Authorization")))
            time.sleep(behaviour["delay"])
            payload = json.dumps(behaviour["body"]).encode()
            try:
                self.send_response(behaviour["status"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up first

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    behaviour["url"] = f"http://127.0.0.1:{server.server_address[1]}/permits"
    yield behaviour
    server.shutdown()
    server.server_close()


def test_the_registry_lookup_finds_the_latest_permit(people):
    person_create(
        by=people.officer_a,
        full_name="Anna Maria Eriksson",
        nationality="SE",
        document_number="L898902C3",
        permit_type="ITAS",
        permit_number="2C11AB1234",
    )
    found = RegistryPermitLookup().lookup(document_number="l898902c3", issuing_country="SE")
    assert (found.found, found.permit_type, found.permit_number) == (True, "ITAS", "2C11AB1234")
    missing = RegistryPermitLookup().lookup(document_number="X0000000", issuing_country="SE")
    assert missing.found is False


def test_the_http_lookup_reads_the_documented_shape(fake_dg):
    fake_dg["body"] = {
        "found": True,
        "permit_type": "ITAP",
        "permit_number": "9Z",
        "valid_until": "2030-01-31",
        "sponsor": "PT Contoh Jaya",
    }
    status = HttpPermitLookup(fake_dg["url"], token="secret", timeout=2).lookup(
        document_number="L898902C3", issuing_country="SE"
    )
    assert (status.permit_type, str(status.valid_until), status.sponsor) == (
        "ITAP",
        "2030-01-31",
        "PT Contoh Jaya",
    )
    path, authorization = fake_dg["asked"][0]
    assert "document_number=L898902C3" in path
    assert authorization == "Bearer secret"


@pytest.mark.parametrize(("status", "body"), [(500, {}), (200, ["x"]), (200, {"found": "yes"})])
def test_a_failing_endpoint_is_unavailable(fake_dg, status, body):
    fake_dg["status"], fake_dg["body"] = status, body
    with pytest.raises(LookupUnavailable):
        HttpPermitLookup(fake_dg["url"], timeout=2).lookup(
            document_number="L898902C3", issuing_country="SE"
        )


def test_a_slow_endpoint_gives_up_at_its_timeout(fake_dg):
    fake_dg["delay"] = 3.0
    started = time.monotonic()
    with pytest.raises(LookupUnavailable):
        HttpPermitLookup(fake_dg["url"], timeout=0.5).lookup(
            document_number="L898902C3", issuing_country="SE"
        )
    assert time.monotonic() - started < 2.0


def test_the_check_forms_box_says_unavailable_after_the_timeout(
    client, people, fake_dg, monkeypatch
):
    monkeypatch.setenv("SILAHAP_PERMIT_LOOKUP_URL", fake_dg["url"])
    monkeypatch.setenv("SILAHAP_PERMIT_LOOKUP_TIMEOUT", "0.5")
    fake_dg["delay"] = 3.0
    client.force_login(people.officer_a)
    started = time.monotonic()
    response = client.get(
        reverse(STATUS), {"document_number": "L898902C3", "issuing_country": "SE"}
    )
    assert response.json() == {"status": "unavailable"}
    assert time.monotonic() - started < 2.0


def test_the_registry_answers_the_check_form_by_default(client, people):
    person_create(
        by=people.officer_a,
        full_name="Anna Maria Eriksson",
        nationality="SE",
        document_number="L898902C3",
        permit_type="ITAS",
    )
    client.force_login(people.officer_b)
    answer = client.get(reverse(STATUS), {"document_number": "L898902C3", "issuing_country": "SE"})
    assert answer.json()["status"] == "found"
    assert answer.json()["source"] == "registry"


def test_a_partner_may_not_ask(client, people):
    client.force_login(people.partner)
    answer = client.get(reverse(STATUS), {"document_number": "L898902C3", "issuing_country": "SE"})
    assert answer.status_code == 403


def test_the_check_form_carries_the_status_box(client, people):
    activity = field_activity(people)
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:activity_detail", args=[activity.pk]))
    assert b'data-testid="official-permit-status"' in page.content
