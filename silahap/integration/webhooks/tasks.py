"""The task worker's side of webhooks."""

from __future__ import annotations

from django_tasks import task

from silahap.integration.webhooks.delivery import attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = attempt(delivery_id)
    return delivery.status if delivery else "gone"
