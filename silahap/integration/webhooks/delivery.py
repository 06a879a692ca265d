"""Queue a business event for each subscription that may see it; send, retry, give up.

Retries back off exponentially with jitter for more than 24 hours (Standard Webhooks'
recommendation); a delivery that still fails after that disables its subscription and tells the
administrator who registered the client.
"""

from __future__ import annotations

import datetime
import json
import logging
import random

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.integration.feed import readable_events, summary
from silahap.integration.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from silahap.integration.principal import acting_user
from silahap.integration.webhooks import sending
from silahap.integration.webhooks.safety import UnsafeTarget, check_url

logger = logging.getLogger(__name__)

# Seconds before each retry; with ±10% jitter the last one still comes after 24 hours.
RETRY_DELAYS = (5, 60, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1
Status = WebhookDelivery.Status


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(seconds=sum(RETRY_DELAYS) * (1 - JITTER))


def active_subscriptions() -> list[WebhookSubscription]:
    return list(
        WebhookSubscription.objects.filter(
            is_active=True, client__revoked_at__isnull=True
        ).select_related("client__unit", "client__account")
    )


def queue_deliveries(
    event: BusinessEvent, subscriptions: list[WebhookSubscription] | None = None
) -> list[WebhookDelivery]:
    """One delivery per active subscription listening for the event whose client may read it
    (`subscriptions`: the active ones, when the caller read them for several events)."""
    if subscriptions is None:
        subscriptions = active_subscriptions()
    made = []
    for subscription in subscriptions:
        if event.type not in subscription.event_types:
            continue
        scope = readable_events(acting_user(subscription.client))
        if not BusinessEvent.objects.filter(pk=event.pk).filter(scope).exists():
            continue
        delivery, created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event_id=event.pk,
            defaults={
                "message_id": f"msg_{event.pk}_{subscription.pk}",
                "event_type": event.type,
                "payload": summary(event),
                "next_attempt_at": timezone.now(),
            },
        )
        if created:
            made.append(delivery)
    return made


def body_of(delivery: WebhookDelivery, now: datetime.datetime) -> str:
    return json.dumps(
        {
            "type": delivery.event_type,
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "data": delivery.payload,
        },
        separators=(",", ":"),
    )


def signed_headers(delivery: WebhookDelivery, body: str, now: datetime.datetime) -> dict:
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, now, body)
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "SiLAHAP-Webhooks/1",
    }


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Send a due delivery once and log the attempt; schedule the next or give up."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription__client")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (Status.DELIVERED, Status.FAILED):
            return delivery
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return delivery
        subscription = delivery.subscription
        if not subscription.is_active or subscription.client.is_revoked:
            return delivery
        body = body_of(delivery, now)
        try:
            target = check_url(subscription.url)
        except UnsafeTarget as error:
            answer = sending.Answer(None, 0, "", f"refused: {error}"[:300])
        else:
            answer = sending.post(target, body.encode(), signed_headers(delivery, body, now))
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=answer.status_code,
            latency_ms=answer.latency_ms,
            error=answer.error,
            response_excerpt=answer.excerpt[: sending.EXCERPT_BYTES],
        )
        delivery.attempts += 1
        if answer.ok:
            delivery.status = Status.DELIVERED
            delivery.next_attempt_at = None
            WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        else:
            subscription.consecutive_failures += 1
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                consecutive_failures=subscription.consecutive_failures
            )
            retries_done = delivery.attempts - 1
            if retries_done < len(RETRY_DELAYS):
                delay = RETRY_DELAYS[retries_done] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311
                delivery.status = Status.RETRYING
                delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
                _schedule(delivery)
            else:
                delivery.status = Status.FAILED
                delivery.next_attempt_at = None
                _disable(subscription, reason=answer.error or f"HTTP {answer.status_code}")
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    return delivery


def _schedule(delivery: WebhookDelivery) -> None:
    # The task runs attempt() below: tasks imports this module, so this one imports it late.
    from silahap.integration.webhooks.tasks import deliver_webhook  # noqa: PLC0415 -- cycle

    when, pk = delivery.next_attempt_at, delivery.pk
    transaction.on_commit(lambda: deliver_webhook.using(run_after=when).enqueue(pk), robust=True)


def _disable(subscription: WebhookSubscription, *, reason: str) -> None:
    """Stop sending to a receiver that failed for a whole day, and tell its administrator."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:200]
    )
    audit.record(
        action="webhook.disable",
        target=subscription,
        summary={"client": subscription.client_id, "reason": reason[:200]},
    )
    client = subscription.client
    # The administrators hear of it in the app too (integration.subscribers), after commit.
    spine.record_about(
        subscription,
        type=EventType.SUBSCRIPTION_DISABLED,
        unit=client.unit,
        payload={"client": client.pk},
    )
    recipients = [
        address for address in {client.registered_by.email, client.contact_email} if address
    ]
    if not recipients:
        return
    text = (
        f"SiLAHAP stopped sending webhooks of the API client {client.name} to "
        f"{subscription.url}: every delivery failed for more than 24 hours ({reason[:200]}). "
        "Fix the receiver, then enable the subscription again on its page:\n"
        f"{settings.SILAHAP_SITE_URL.rstrip('/')}/api/v1/console/clients/{client.pk}/"
    )
    try:
        send_mail("SiLAHAP: webhook subscription disabled", text, None, sorted(recipients))
    except OSError:
        logger.warning("webhook subscription %s: notice mail failed", subscription.pk)
