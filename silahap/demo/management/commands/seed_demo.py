import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silahap.audit import services as audit
from silahap.demo.bulk import generate
from silahap.demo.organisation import DEMO_PASSWORD, PEOPLE
from silahap.demo.registry import DemoError
from silahap.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo organisation, logins and data; safe to run again. "
        "--scale N then adds N activities (with reports, checks, findings, persons) in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="also add N activities in bulk, bypassing the services (for load tests)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=10_000,
            help="rows per bulk insert or COPY batch (default 10000)",
        )

    def handle(self, *args, scale=0, batch_size=10_000, **options):
        if settings.SILAHAP_ENV == "production":
            raise CommandError("seed_demo refuses to run with SILAHAP_ENV=production")
        if scale < 0 or batch_size < 1:
            raise CommandError("--scale must be 0 or more and --batch-size at least 1")

        started = time.perf_counter()
        try:
            summary = seed_demo()
        except DemoError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        added = ", ".join(f"{n} {name}" for name, n in summary.created.items() if n)
        self.stdout.write(f"demo data in {seconds:.1f} s; added: {added or 'nothing (up to date)'}")
        self.stdout.write(
            "  "
            + ", ".join(f"{n} {name}" for name, n in summary.counts.items())
            + "; reports by status: "
            + ", ".join(f"{n} {status}" for status, n in summary.reports_by_status.items())
        )
        if scale:
            started = time.perf_counter()
            result = generate(scale=scale, batch_size=batch_size, progress=self.stdout.write)
            seconds = time.perf_counter() - started
            rows = sum(result.values())
            self.stdout.write(
                f"bulk: {scale} activities, {rows} rows in {seconds:.1f} s "
                f"({rows / seconds:,.0f} rows/s, {scale / seconds:,.0f} activities/s): "
                + ", ".join(f"{n} {name}" for name, n in result.items())
            )
        # The demo's history is recorded at past clocks, already older than the sealer's grace:
        # seal it now (inside any transaction the caller holds) rather than wait for a commit.
        audit.seal()
        self.stdout.write(
            f"demo: {summary.units} units, {len(PEOPLE)} logins, password {DEMO_PASSWORD}"
        )
        for spec in PEOPLE:
            self.stdout.write(f"  {spec.username:<14} {spec.role:<8} {spec.unit}")
