"""Webhook subscriptions and re-sends (the administrator's writes)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.integration.feed import PUBLISHED_TYPES
from silahap.integration.models import ApiClient, WebhookDelivery, WebhookSubscription
from silahap.integration.webhooks.safety import UnsafeTarget, check_url
from silahap.integration.webhooks.tasks import deliver_webhook


@dataclass(frozen=True)
class NewSubscription:
    subscription: WebhookSubscription
    # Shown once on the page that created it; the receiver keeps it to verify signatures.
    secret: str


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def webhook_subscribe(
    *, by: User, client: ApiClient, url: str, event_types: list[str]
) -> NewSubscription:
    """Deliver the client's chosen event types to `url`; refused for an unsafe target."""
    access.require(by, "manage", client)
    errors = {}
    try:
        check_url(url)
    except UnsafeTarget as error:
        errors["url"] = str(error)
    unknown = set(event_types) - set(PUBLISHED_TYPES)
    if not event_types or unknown:
        errors["event_types"] = _("Choose at least one event type from the list.")
    if client.is_revoked:
        errors["url"] = _("This client is revoked.")
    if errors:
        raise ValidationError(errors)
    secret = _new_secret()
    subscription = WebhookSubscription.objects.create(
        client=client,
        url=url,
        event_types=sorted(set(event_types)),
        secret=secret,
        created_by=by,
    )
    audit.record(
        action="webhook.subscribe",
        actor=by,
        target=subscription,
        summary={"client": client.pk, "event_types": subscription.event_types},
    )
    return NewSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def webhook_subscription_enable(*, by: User, subscription: WebhookSubscription) -> None:
    """Turn a disabled subscription on again, its failure count cleared."""
    access.require(by, "manage", subscription.client)
    try:
        check_url(subscription.url)
    except UnsafeTarget as error:
        raise ValidationError({"url": str(error)}) from error
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
    )
    audit.record(action="webhook.enable", actor=by, target=subscription)


@transaction.atomic
def webhook_delivery_resend(*, by: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, with the same message id (receivers de-duplicate by it)."""
    access.require(by, "manage", delivery.subscription.client)
    if not delivery.subscription.is_active:
        raise ValidationError(_("Enable the subscription before sending again."))
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
    audit.record(action="webhook.resend", actor=by, target=delivery)
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk), robust=True)
    return delivery
