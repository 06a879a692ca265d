"""Every minute, enqueue the notifications that are due (missing reports, follow-up steps), and
sweep the event spine: number new events and dispatch again what a dead worker or a failing
subscriber left unhandled; queue again the photo copies no task made; and seal into the audit
chain what no commit sealed."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from silahap.audit import services as audit
from silahap.events import spine
from silahap.reports import tasks as report_tasks
from silahap.supervision import scheduler


class Command(BaseCommand):
    help = "Enqueue due notifications every minute; `manage.py db_worker` sends them."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and exit (cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between ticks.")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            close_old_connections()
            keys = scheduler.tick()
            for key in keys:
                self.stdout.write(f"enqueued {key}")
            sealed = audit.seal()
            if sealed:
                self.stdout.write(f"audit trail: {sealed} events sealed")
            redone = spine.sweep()
            if redone:
                self.stdout.write(f"event spine: {redone} deliveries made good")
            copies = report_tasks.evidence_copies_sweep()
            if copies:
                self.stdout.write(f"photo copies: {copies} queued again")
            if once:
                return
            try:
                # Wake at the start of the next interval, so a deadline is never missed by drift.
                time.sleep(interval - time.time() % interval)
            except KeyboardInterrupt:
                return
