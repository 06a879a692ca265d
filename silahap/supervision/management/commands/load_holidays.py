"""Copy a year's national holidays and collective leave into the Holiday table to correct there."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from silahap.supervision.models import Holiday
from silahap.supervision.workdays import national_calendar


class Command(BaseCommand):
    help = "Copy the `holidays` package's Indonesian dates for a year into the Holiday table."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, nargs="?", default=timezone.localdate().year)

    def handle(self, *args, year, **options):
        added = 0
        for day, (name, kind) in sorted(national_calendar(year).items()):
            _row, created = Holiday.objects.get_or_create(
                date=day, defaults={"name": name, "kind": kind}
            )
            added += created
        self.stdout.write(f"{added} dates added for {year}")
