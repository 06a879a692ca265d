"""Every published business event is queued for the webhooks listening for it, after commit; a
subscription the sender disabled is told to the administrators in the app."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import Membership
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.integration.feed import PUBLISHED_TYPES
from silahap.integration.models import WebhookSubscription
from silahap.integration.webhooks.delivery import active_subscriptions, queue_deliveries
from silahap.integration.webhooks.tasks import deliver_webhook
from silahap.supervision import notifications
from silahap.supervision.models import NotificationKind


def queue_webhooks(event: BusinessEvent) -> None:
    queue_webhooks_many([event])


def queue_webhooks_many(events: list[BusinessEvent]) -> None:
    """A drain's batch: the active subscriptions read once for all of them."""
    subscriptions = active_subscriptions()
    if not subscriptions:
        return
    for event in events:
        for delivery in queue_deliveries(event, subscriptions):
            transaction.on_commit(partial(deliver_webhook.enqueue, delivery.pk), robust=True)


# Outward: an event held from the outside world (a national operation before its start) is
# queued for the webhooks only when the spine releases it, as the feed numbers it only then.
for _type in PUBLISHED_TYPES:
    spine.subscribe(_type, name="integration.webhooks", outward=True, many=queue_webhooks_many)(
        queue_webhooks
    )


@spine.subscribe(EventType.SUBSCRIPTION_DISABLED, name="integration.notify_subscription_disabled")
def notify_subscription_disabled(event: BusinessEvent) -> None:
    """The client's registrar and the administrators of its unit and the units above."""
    subscription = (
        WebhookSubscription.objects.select_related("client__unit", "client__registered_by")
        .filter(pk=event.object_id)
        .first()
    )
    if subscription is None:
        return
    client = subscription.client
    above = [int(pk) for pk in client.unit.path.strip("/").split("/") if pk]
    admins = {
        membership.user
        for membership in Membership.objects.current(timezone.localdate())
        .filter(role=Membership.Role.ADMIN, unit_id__in=above)
        .select_related("user")
    }
    if client.registered_by is not None:
        admins.add(client.registered_by)
    for admin in sorted(admins, key=lambda user: user.pk):
        notifications.deliver(
            recipient=admin,
            kind=NotificationKind.WEBHOOK_DISABLED,
            target=subscription,
            day=timezone.localdate(),
            params={"client": client.name},
            url=reverse("integration:subscription_detail", args=[subscription.pk]),
        )
