from django.core.management.base import BaseCommand, CommandError

from silahap.audit.models import AuditEvent
from silahap.audit.services import chain_problems


class Command(BaseCommand):
    help = (
        "Check that the audit trail's hash chain is unbroken; exit non-zero at the first bad event."
    )

    def handle(self, *args, **options):
        problem = chain_problems()
        if problem is not None:
            raise CommandError(f"audit trail broken at {problem}")
        count = AuditEvent.objects.count()
        self.stdout.write(f"audit trail intact: {count} events")
