"""Every published business event is queued for the webhooks listening for it, after commit."""

from __future__ import annotations

from django.db import transaction

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.integration.feed import PUBLISHED_TYPES
from silahap.integration.webhooks.delivery import queue_deliveries


def queue_webhooks(event: BusinessEvent) -> None:
    from silahap.integration.webhooks.tasks import deliver_webhook

    for delivery in queue_deliveries(event):
        pk = delivery.pk
        transaction.on_commit(lambda pk=pk: deliver_webhook.enqueue(pk), robust=True)


for _type in PUBLISHED_TYPES:
    spine.subscribe(_type, name="integration.webhooks")(queue_webhooks)
