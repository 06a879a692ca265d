"""Registering API clients, approving their scope, issuing and revoking their tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts import services as accounts
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.integration.models import AccessLevel, ApiClient, ApiToken, Resource

TOKEN_MARK = "slh_"
MAX_TOKEN_DAYS = 366


def token_digest(token: str) -> str:
    """The SHA-256 kept for a token: tokens are 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_client_register(
    *,
    by: User,
    name: str,
    unit: OrgUnit,
    resources: list[str],
    access_level: str = AccessLevel.READ,
    contact_email: str = "",
    requests_per_minute: int = 120,
) -> ApiClient:
    """Register a client scoped to `unit`'s subtree; a sensitive scope waits for a leader."""
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Give the client a name.")
    unknown = set(resources) - set(Resource.values)
    if not resources or unknown:
        errors["resources"] = _("Choose at least one resource from the list.")
    if access_level not in AccessLevel.values:
        errors["access"] = _("Choose read or read-write.")
    if errors:
        raise ValidationError(errors)
    account = accounts.user_create(
        by=None,
        username=f"api-{uuid.uuid4().hex[:12]}",
        full_name=f"API: {name}"[:200],
        password=None,
    )
    client = ApiClient(
        name=name,
        unit=unit,
        resources=sorted(set(resources)),
        access=access_level,
        contact_email=contact_email,
        requests_per_minute=requests_per_minute,
        account=account,
        registered_by=by,
    )
    access.require(by, "manage", client)
    client.full_clean()
    client.save()
    audit.record(
        action="api_client.register",
        actor=by,
        target=client,
        summary={"unit": unit.pk, "resources": client.resources, "access": access_level},
    )
    return client


@transaction.atomic
def api_client_approve(*, by: User, client: ApiClient) -> ApiClient:
    """Approve a client's scope: a leader of the scope answers for what it reads."""
    client = ApiClient.objects.select_for_update().select_related("unit").get(pk=client.pk)
    access.require(by, "approve", client)
    if client.registered_by_id == by.pk and not by.is_superuser:
        raise PermissionDenied("the one who registered a client does not approve it")
    if client.approved_at is None:
        client.approved_by = by
        client.approved_at = timezone.now()
        client.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit.record(action="api_client.approve", actor=by, target=client)
    return client


@transaction.atomic
def api_client_revoke(*, by: User, client: ApiClient) -> ApiClient:
    """Revoke a client and every token it holds, at once."""
    client = ApiClient.objects.select_for_update().select_related("unit").get(pk=client.pk)
    access.require(by, "manage", client)
    now = timezone.now()
    if client.revoked_at is None:
        client.revoked_at = now
        client.save(update_fields=["revoked_at", "updated_at"])
        client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
        client.subscriptions.update(is_active=False)
        audit.record(action="api_client.revoke", actor=by, target=client)
    return client


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The only time the token exists in clear: shown once, never stored or logged.
    raw: str


@transaction.atomic
def api_token_issue(*, by: User, client: ApiClient, valid_days: int = 90) -> IssuedToken:
    """Issue a new token for a client; only its digest is kept."""
    access.require(by, "manage", client)
    if client.is_revoked:
        raise ValidationError(_("This client is revoked; register a new one."))
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        raise ValidationError({"valid_days": _("A token is valid for 1 to 366 days.")})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_MARK}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        client=client,
        prefix=prefix,
        digest=token_digest(raw),
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=valid_days),
    )
    audit.record(
        action="api_token.issue",
        actor=by,
        target=token,
        summary={"client": client.pk, "prefix": prefix, "valid_days": valid_days},
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke one token; the client's other tokens keep working."""
    token = ApiToken.objects.select_for_update().select_related("client__unit").get(pk=token.pk)
    access.require(by, "manage", token.client)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action="api_token.revoke", actor=by, target=token, summary={"prefix": token.prefix}
        )
    return token
