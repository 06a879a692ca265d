"""`manage.py webhooks_send_due`: queue every webhook delivery that is due and has no job.

The worker queues each delivery after commit and each retry with `run_after`; a job lost with
its worker would leave a delivery pending. Run this from cron (or beside run_scheduler) every few
minutes: a delivery sent twice carries the same webhook-id, which receivers de-duplicate.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from silahap.integration.models import WebhookDelivery
from silahap.integration.webhooks.tasks import deliver_webhook

LIMIT = 1000


class Command(BaseCommand):
    help = "Queue the webhook deliveries that are due (pending or retrying past their time)."

    def handle(self, *args, **options):
        due = (
            WebhookDelivery.objects.filter(
                status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
                next_attempt_at__lte=timezone.now(),
                subscription__is_active=True,
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:LIMIT]
        )
        queued = 0
        for pk in due:
            deliver_webhook.enqueue(pk)
            queued += 1
        self.stdout.write(f"queued {queued} webhook deliveries")
