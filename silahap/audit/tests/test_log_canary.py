"""Logs never hold passwords, one-time codes, session keys or full document numbers (issue
"Security", UU 27/2022): plant each secret, walk the flows that touch it, grep every log line.

The audit trail is searched too: leaders read it, so it must hold ids, never the data itself.
"""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.logfilters import DropQueryStrings
from silahap.registry.services import person_create
from silahap.testing.mrz import td3
from silahap.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

DOCUMENT = "C4NARY719"
WRONG_PASSWORD = "Kanari-Salah-Sandi-4412"


@pytest.fixture
def every_log():
    """Every record any logger emits, at DEBUG, formatted with its traceback if it has one."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    # Loggers that do not propagate (the server's access log) never reach the root's handlers.
    loggers = [root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    level = root.level
    root.setLevel(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)
    root.setLevel(level)


def leaks(lines: list[str], secrets: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [secret for secret in secrets if secret and secret in text]


def audit_text() -> list[str]:
    return [
        json.dumps([event.actor_label, event.object_id, event.summary, event.purpose])
        for event in AuditEvent.objects.all()
    ]


def test_secrets_never_reach_the_logs_or_the_audit_trail(client, people, every_log):
    person_create(
        by=people.officer_a,
        full_name="Kanari Burung",
        nationality="SE",
        document_number=DOCUMENT,
        permit_type="ITAS",
    )
    login = reverse("login")
    client.post(login, {"username": "officer_a", "password": WRONG_PASSWORD})
    client.post(login, {"username": "officer_a", "password": PASSWORD})
    session_key = client.session.session_key
    assert session_key
    client.get(reverse("registry:person_lookup"), {"q": DOCUMENT})
    client.get(reverse("registry:person_search"), {"q": DOCUMENT})
    mrz = td3(
        surname="Burung",
        given_names="Kanari",
        number=DOCUMENT,
        nationality="SWE",
        birth=datetime.date(1990, 1, 1),
        sex="F",
        expiry=datetime.date(2031, 1, 1),
    )
    assert client.post(reverse("registry:mrz_parse"), {"mrz": mrz}).status_code == 200
    # A second registration of the same document, then one the form refuses.
    form = {
        "full_name": "Kanari Burung",
        "nationality": "SE",
        "document_kind": "passport",
        "document_number": DOCUMENT,
    }
    client.post(reverse("registry:person_create"), form)
    client.post(reverse("registry:person_create"), {**form, "birth_date": "31/31/1990"})
    # What the development server writes for a lookup.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /registry/persons/lookup?q={DOCUMENT} HTTP/1.1", "200", "512"
    )
    client.post(reverse("logout"))

    secrets = [PASSWORD, WRONG_PASSWORD, session_key, DOCUMENT]
    assert leaks(every_log, secrets) == []
    assert leaks(audit_text(), secrets) == []
    # The capture did see the flow: the access line is there, without its query.
    assert any("GET /registry/persons/lookup?… HTTP/1.1" in line for line in every_log)
    assert AuditEvent.objects.filter(action="person.lookup").exists()


def test_the_canary_notices_a_leak(every_log):
    logging.getLogger("silahap.anything").warning("checked passport %s", DOCUMENT)
    assert leaks(every_log, [DOCUMENT, PASSWORD]) == [DOCUMENT]


def test_access_logs_keep_the_path_and_drop_the_query():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s', ("GET /a/?q=X1&b=2 HTTP/1.1", "200"), None
    )
    assert DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET /a/?… HTTP/1.1" 200'
