"""Seal committed audit events into the hash chain. `run_scheduler` does this every minute; this
command is for cron or after a restore."""

from django.core.management.base import BaseCommand

from silahap.audit.services import seal


class Command(BaseCommand):
    help = "Give committed audit events their places in the hash chain (one sealer at a time)."

    def handle(self, *args, **options):
        self.stdout.write(f"sealed {seal()} audit events")
