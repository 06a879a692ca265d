"""Store "running" for approved operations whose start has come (cron: every minute).

Pages already read an approved operation as running from its start (Operation.state); this
records the moment on the spine (operation.started) for the feed, webhooks and rollups. It is a
command of its own because run_scheduler lives in supervision, below operations."""

from django.core.management.base import BaseCommand

from silahap.operations.services.operations import operation_start_due


class Command(BaseCommand):
    help = "Mark approved operations whose start has come as running."

    def handle(self, *args, **options):
        started = operation_start_due()
        if started:
            self.stdout.write(f"{started} operation(s) started")
