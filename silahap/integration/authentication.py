"""Bearer tokens of API clients, checked against their SHA-256; sessions for the site's pages."""

from __future__ import annotations

import datetime

from django.db import router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from silahap.accounts.models import OrgUnit, User
from silahap.audit.context import request_context
from silahap.integration.models import ApiClient, ApiToken
from silahap.integration.principal import acting_user
from silahap.integration.services.clients import TOKEN_MARK, token_digest
from silahap.statements import Statement

# Bookkeeping, not business data: written at most this often per token.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 120


def _token_query(digest: str):
    # The digest is unique: no ordering (first() would sort the joined rows' columns).
    return (
        ApiToken.objects.select_related("client__unit", "client__account")
        .filter(digest=digest)
        .order_by()[:1]
    )


# The token's lookup with its client, the client's unit and account: the ORM's own query (whole
# rows, so the request's user is the whole account), compiled once per connection
# (silahap/statements.py). Profiled at 1,000,000 activities, building and compiling this
# four-model query took most of the lookup's ~5 ms on every request; the statement itself runs
# in under 1 ms.
_TOKEN = Statement(_token_query, ApiToken._meta.get_field("digest"))


def token_with_client(digest: str) -> ApiToken | None:
    """The token of this digest, its client, the client's unit and account, in one query."""
    compiled = _TOKEN.compiled(router.db_for_read(ApiToken))
    found = compiled.rows([digest])
    if not found:
        return None
    row = found[0]
    token, client = compiled.made(ApiToken, row), compiled.made(ApiClient, row)
    client.unit = compiled.made(OrgUnit, row)
    client.account = compiled.made(User, row)
    token.client = client
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer slh_…`: the client's account, scoped to the client."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        raw = parts[1].decode("ascii", errors="replace")
        if not raw.startswith(TOKEN_MARK):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        token = token_with_client(token_digest(raw))
        now = timezone.now()
        if (
            token is None
            or not token.is_usable(now)
            or token.client.is_revoked
            or not token.client.account.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        address = request_context().ip_address
        if (
            token.last_used_at is None
            or now - token.last_used_at > LAST_USED_EVERY
            or token.last_used_ip != address
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
        return acting_user(token.client), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="silahap"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's own pages call the API with the signed-in session, and with its CSRF token."""
