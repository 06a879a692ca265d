from django.core.management import call_command
from django.core.management.base import BaseCommand

from silahap.deploy import deploy_lock


class Command(BaseCommand):
    help = (
        "Migrate (and collect static files) under the deployment lock: safe when several "
        "application nodes start at the same moment."
    )

    def add_arguments(self, parser):
        parser.add_argument("--collectstatic", action="store_true")

    def handle(self, *args, **options):
        with deploy_lock():
            call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0))
            if options["collectstatic"]:
                call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("migrations applied")
