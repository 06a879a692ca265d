from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silahap.demo.organisation import DEMO_PASSWORD, PEOPLE, seed_organisation, seed_people


class Command(BaseCommand):
    help = "Create the demo organisation, logins and data; safe to run again."

    def handle(self, *args, **options):
        if settings.SILAHAP_ENV == "production":
            raise CommandError("seed_demo refuses to run with SILAHAP_ENV=production")
        units = seed_organisation()
        seed_people(units)
        self.stdout.write(
            f"demo: {len(units)} units, {len(PEOPLE)} logins, password {DEMO_PASSWORD}"
        )
        for spec in PEOPLE:
            self.stdout.write(f"  {spec.username:<14} {spec.role:<8} {spec.unit}")
