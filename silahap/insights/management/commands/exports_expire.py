"""Delete export files older than the retention period (cron: every hour).

The rows stay, marked expired, so the person who asked sees that the file was removed rather
than a missing page. A command of its own, like operations_start_due: run_scheduler lives in
supervision, below insights."""

from django.core.management.base import BaseCommand

from silahap.insights.services.exports import export_jobs_expire, retention


class Command(BaseCommand):
    help = "Delete the files of finished exports older than the retention period."

    def handle(self, *args, **options):
        expired = export_jobs_expire()
        self.stdout.write(f"{expired} export file(s) deleted (older than {retention()})")
