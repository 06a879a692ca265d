from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from silahap.audit.services.retention import audit_retention_prune


class Command(BaseCommand):
    help = (
        "Delete audit events older than SILAHAP_RETENTION_AUDIT_DAYS, leaving a checkpoint event "
        "with their count, range and SHA-256, from which audit_verify starts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be pruned; change nothing"
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        try:
            plan = audit_retention_prune(dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        days = settings.SILAHAP_RETENTION_AUDIT_DAYS
        if plan.count == 0:
            self.stdout.write(f"nothing older than {days} days to prune")
            return
        verb = "would prune" if dry_run else "pruned"
        self.stdout.write(
            f"{verb} {plan.count} audit events #{plan.first_sequence}–#{plan.last_sequence} "
            f"({plan.first_occurred_at:%Y-%m-%d} to {plan.last_occurred_at:%Y-%m-%d}), "
            f"sha256 {plan.digest}"
        )
