"""Tokens: revoked, expired, unapproved or out-of-scope tokens read nothing; none kept in clear."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silahap.integration.models import ApiToken
from silahap.integration.services.clients import (
    api_client_approve,
    api_client_register,
    api_client_revoke,
    api_token_issue,
    api_token_revoke,
)
from silahap.integration.tests.conftest import bearer

pytestmark = pytest.mark.django_db
UNITS = "integration:unit-list"


def test_a_valid_token_reads_and_records_when_and_where_it_was_used(client, make_client):
    api_client, token = make_client()
    response = client.get(reverse(UNITS), REMOTE_ADDR="203.0.113.9", **bearer(token))
    assert response.status_code == 200
    used = api_client.tokens.get()
    assert used.last_used_at is not None
    assert used.last_used_ip == "203.0.113.9"


def test_no_token_is_401_with_a_bearer_challenge(client, people):
    response = client.get(reverse(UNITS))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Not authenticated"


def test_a_revoked_token_is_refused(client, people, make_client):
    api_client, token = make_client()
    api_token_revoke(by=people.office_admin, token=api_client.tokens.get())
    assert client.get(reverse(UNITS), **bearer(token)).status_code == 401


def test_a_revoked_client_is_refused(client, people, make_client):
    api_client, token = make_client()
    api_client_revoke(by=people.office_admin, client=api_client)
    assert client.get(reverse(UNITS), **bearer(token)).status_code == 401


def test_an_expired_token_is_refused(client, make_client):
    _api_client, token = make_client()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        assert client.get(reverse(UNITS), **bearer(token)).status_code == 401


def test_a_wrong_token_is_refused(client, make_client):
    _api_client, token = make_client()
    assert client.get(reverse(UNITS), **bearer(token[:-2] + "xx")).status_code == 401


def test_reports_wait_for_a_leaders_approval(client, people):
    api_client = api_client_register(
        by=people.office_admin, name="SIMKIM", unit=people.office_a, resources=["reports"]
    )
    token = api_token_issue(by=people.office_admin, client=api_client).raw
    assert client.get(reverse("integration:report-list"), **bearer(token)).status_code == 403
    with pytest.raises(PermissionDenied):
        api_client_approve(by=people.office_admin, client=api_client)
    with pytest.raises(PermissionDenied):
        api_client_approve(by=people.leader_b, client=api_client)
    api_client_approve(by=people.head_a, client=api_client)
    assert client.get(reverse("integration:report-list"), **bearer(token)).status_code == 200


def test_an_office_administrator_cannot_register_a_client_above_the_office(people):
    with pytest.raises(PermissionDenied):
        api_client_register(
            by=people.office_admin, name="Wide", unit=people.kanwil_banten, resources=["units"]
        )


def test_a_read_client_cannot_write(client, make_client):
    _api_client, token = make_client()
    response = client.post(
        reverse("integration:person-list"),
        {"full_name": "X"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 403


def test_the_raw_token_is_nowhere_in_the_database_or_the_log(client, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    _api_client, token = make_client()
    client.get(reverse(UNITS), **bearer(token))
    client.get(reverse(UNITS) + "?updated_since=bad", **bearer(token))
    assert token not in caplog.text
    secret = token.split("_", 2)[2]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                quoted = connection.ops.quote_name(column)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE CAST({quoted} AS TEXT) LIKE %s",
                    [f"%{secret}%"],
                )
                assert cursor.fetchone()[0] == 0, f"token found in {table}.{column}"
    assert ApiToken.objects.filter(digest__isnull=False).count() == 1


def test_too_many_requests_answer_429_with_retry_after(client, make_client):
    _api_client, token = make_client(rate=2)
    assert client.get(reverse(UNITS), **bearer(token)).status_code == 200
    assert client.get(reverse(UNITS), **bearer(token)).status_code == 200
    third = client.get(reverse(UNITS), **bearer(token))
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    assert third.json()["title_id"] == "Terlalu banyak permintaan"


def test_a_signed_in_session_reads_and_needs_csrf_to_write(people, field_work):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.leader_a)
    listed = browser.get(reverse("integration:report-list"))
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {field_work["a"][0].report_id}
    refused = browser.post(
        reverse("integration:person-list"),
        {"full_name": "Anna", "nationality": "SE"},
        content_type="application/json",
    )
    assert refused.status_code == 403
