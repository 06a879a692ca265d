"""Bearer tokens of API clients, checked against their SHA-256; sessions for the site's pages."""

from __future__ import annotations

import datetime
import threading
from typing import TypeVar

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from silahap.accounts.models import OrgUnit, User
from silahap.audit.context import request_context
from silahap.integration.models import ApiClient, ApiToken
from silahap.integration.principal import acting_user
from silahap.integration.services.clients import TOKEN_MARK, token_digest

# Bookkeeping, not business data: written at most this often per token.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 120
ModelT = TypeVar("ModelT", bound=Model)


class TokenStatement:
    """The token's lookup with its client, the client's unit and account: the ORM's own query
    (whole rows, so the request's user is the whole account), compiled once per connection.

    Profiled at 1,000,000 activities, building and compiling this four-model query took most of
    the lookup's ~5 ms on every request (the statement itself runs in under 1 ms). The row still
    goes through the ORM's converters, and each model is made by `from_db` from its own columns,
    as the ORM makes them."""

    DIGEST = "digest-of-the-token"

    def __init__(self, alias: str):
        query = (
            ApiToken.objects.using(alias)
            .select_related("client__unit", "client__account")
            .filter(digest=self.DIGEST)
            # The digest is unique: no ordering (first() would sort the joined rows' columns).
            .order_by()[:1]
        )
        self.alias = alias
        self.connection = connections[alias]
        self.compiler = query.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.digest_at = self.params.index(self.DIGEST)
        # Where each model's columns are in the row, and their attribute names.
        self.models: dict[type[Model], tuple[int, int, list[str]]] = {}
        infos = [self.compiler.klass_info]
        while infos:
            info = infos.pop()
            columns = info["select_fields"]
            first, last = columns[0], columns[-1] + 1
            names = [column[0].target.attname for column in self.compiler.select[first:last]]
            self.models[info["model"]] = (first, last, names)
            infos.extend(info.get("related_klass_infos", []))
        expected = {ApiToken, ApiClient, OrgUnit, User}
        if set(self.models) != expected:  # pragma: no cover — a Django that selects otherwise
            raise RuntimeError(f"token lookup selects {set(self.models)}, not {expected}")

    def made(self, model: type[ModelT], row) -> ModelT:
        first, last, names = self.models[model]
        return model.from_db(self.alias, names, row[first:last])

    def fetch(self, digest: str) -> ApiToken | None:
        params = list(self.params)
        params[self.digest_at] = digest
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchone()
        if found is None:
            return None
        row = next(iter(self.compiler.results_iter(results=[[found]])))
        token, client = self.made(ApiToken, row), self.made(ApiClient, row)
        client.unit = self.made(OrgUnit, row)
        client.account = self.made(User, row)
        token.client = client
        return token


_statements = threading.local()


def token_with_client(digest: str) -> ApiToken | None:
    """The token of this digest, its client, the client's unit and account, in one query."""
    alias = router.db_for_read(ApiToken)
    statement = getattr(_statements, alias, None)
    # A connection belongs to its thread; a new one (tests swap them) compiles again.
    if statement is None or statement.connection is not connections[alias]:
        statement = TokenStatement(alias)
        setattr(_statements, alias, statement)
    return statement.fetch(digest)


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
