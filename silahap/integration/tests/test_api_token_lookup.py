"""The token's lookup: one query, compiled once per connection, that answers exactly what the
ORM's own query would, and never remembers a token's state between requests."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request

from silahap.accounts.models import User
from silahap.audit.context import RequestContext, current_request
from silahap.integration.authentication import ApiTokenAuthentication, token_with_client
from silahap.integration.models import ApiToken
from silahap.integration.services.clients import (
    api_client_revoke,
    api_token_revoke,
    token_digest,
)
from silahap.integration.tests.conftest import bearer

pytestmark = pytest.mark.django_db
UNITS = "integration:unit-list"


def row_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def authenticate(token: str, address: str = "203.0.113.9"):
    """The authentication alone, as the audit middleware would have set the request's address."""
    request = RequestFactory().get("/", REMOTE_ADDR=address, **bearer(token))
    context = current_request.set(RequestContext(ip_address=address))
    try:
        return ApiTokenAuthentication().authenticate(Request(request))
    finally:
        current_request.reset(context)


def test_the_lookup_gives_the_orms_token_client_unit_and_account(make_client):
    api_client, raw = make_client()
    token = token_with_client(token_digest(raw))
    assert token is not None
    expected = ApiToken.objects.select_related("client__unit", "client__account").get(pk=token.pk)
    with CaptureQueriesContext(connection) as captured:
        # Every column of the four rows is already there: reading them queries nothing.
        assert row_of(token) == row_of(expected)
        assert row_of(token.client) == row_of(expected.client)
        assert row_of(token.client.unit) == row_of(expected.client.unit)
        assert row_of(token.client.account) == row_of(expected.client.account)
    assert len(captured) == 0
    assert isinstance(token.client.account, User)
    assert token.client.resources == api_client.resources  # JSON read back as a list
    assert timezone.is_aware(token.expires_at)


def test_an_unknown_digest_finds_nothing(make_client):
    _api_client, raw = make_client()
    assert token_with_client(token_digest(raw + "x")) is None


def test_a_known_token_is_checked_in_one_query(make_client, django_assert_num_queries):
    api_client, raw = make_client()
    with django_assert_num_queries(2):  # the lookup, and the first use's time and address
        user, token = authenticate(raw)
    assert user == api_client.account
    assert token.client == api_client
    with django_assert_num_queries(1):
        authenticate(raw)
    with django_assert_num_queries(2):  # from another address: written again
        authenticate(raw, address="198.51.100.7")
    used = ApiToken.objects.get(pk=token.pk)
    assert used.last_used_ip == "198.51.100.7"
    assert used.last_used_at is not None


def test_a_token_revoked_after_its_first_use_is_refused_at_the_next(client, people, make_client):
    api_client, raw = make_client()
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 200
    api_token_revoke(by=people.office_admin, token=api_client.tokens.get())
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 401


def test_a_client_revoked_after_its_first_use_is_refused_at_the_next(client, people, make_client):
    api_client, raw = make_client()
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 200
    api_client_revoke(by=people.office_admin, client=api_client)
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 401


def test_a_token_expiring_between_two_requests_is_refused_at_the_second(client, make_client):
    api_client, raw = make_client()
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 200
    expires_at = api_client.tokens.get().expires_at
    with (
        time_machine.travel(expires_at + datetime.timedelta(seconds=1)),
        pytest.raises(exceptions.AuthenticationFailed),
    ):
        authenticate(raw)


def test_a_deactivated_account_is_refused_at_the_next_request(client, make_client):
    api_client, raw = make_client()
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 200
    User.objects.filter(pk=api_client.account_id).update(is_active=False)
    assert client.get(reverse(UNITS), **bearer(raw)).status_code == 401
