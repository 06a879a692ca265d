from django.core.management.base import BaseCommand, CommandError

from silahap.areas.loading import AreaDataError, areas_loaded, load_areas
from silahap.audit import services as audit


class Command(BaseCommand):
    help = "Load Indonesia's provinces, regencies, districts and villages (Kemendagri codes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", action="append", help="only this province code (repeatable), e.g. 36"
        )
        parser.add_argument("--force", action="store_true", help="reload even if already complete")

    def handle(self, *args, province=None, force=False, **options):
        provinces = set(province) if province else None
        if not force and areas_loaded(provinces):
            self.stdout.write("areas: already loaded")
            return
        try:
            counts = load_areas(provinces)
        except AreaDataError as error:
            raise CommandError(str(error)) from None
        audit.record(action="reference.areas_load", summary=counts.__dict__)
        self.stdout.write(
            f"areas: {counts.provinces} provinces, {counts.regencies} regencies/cities, "
            f"{counts.districts} districts, {counts.villages} villages"
        )
