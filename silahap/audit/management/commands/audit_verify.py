from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silahap.audit.models import AuditEvent
from silahap.audit.services import CHECKPOINT_ACTION, chain_problems


class Command(BaseCommand):
    help = (
        "Check that the audit trail's hash chain is unbroken and that no event has waited longer "
        "than SILAHAP_AUDIT_SEAL_GRACE_MINUTES to be sealed into it; exit non-zero at the first "
        "problem."
    )

    def handle(self, *args, **options):
        problem = chain_problems()
        if problem is not None:
            raise CommandError(f"audit trail broken at {problem}")
        count = AuditEvent.objects.count()
        waiting = AuditEvent.objects.filter(position__isnull=True).count()
        checkpoint = AuditEvent.objects.filter(action=CHECKPOINT_ACTION).order_by("-sequence")
        last = checkpoint.values_list("summary", flat=True).first()
        since = f", from #{last['last_sequence'] + 1} after a retention checkpoint" if last else ""
        pending = (
            f" ({waiting} waiting to be sealed, none longer than "
            f"{settings.SILAHAP_AUDIT_SEAL_GRACE_MINUTES} minutes)"
            if waiting
            else ""
        )
        self.stdout.write(f"audit trail intact: {count} events{pending}{since}")
