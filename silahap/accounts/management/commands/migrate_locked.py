import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

from silahap.deploy import deploy_lock

# Beside the collected files: the digest of the sources they were collected from.
COLLECTED_STAMP = ".silahap-collected"
# collectstatic's own default ignore patterns.
IGNORED = ["CVS", ".*", "*~"]


def static_sources_digest() -> str:
    """Every static file collectstatic would collect, by name and bytes, and how it stores them."""
    digest = hashlib.sha256()
    digest.update(f"{settings.STORAGES['staticfiles']['BACKEND']} {settings.STATIC_URL}".encode())
    found: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORED):
            prefix = getattr(storage, "prefix", None) or ""
            found.setdefault(f"{prefix}/{path}" if prefix else path, storage.path(path))
    for name in sorted(found):
        digest.update(name.encode() + b"\0" + Path(found[name]).read_bytes() + b"\0")
    return digest.hexdigest()


def collected_current(digest: str) -> bool:
    """Whether STATIC_ROOT holds what collectstatic would write now (and its manifest)."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / COLLECTED_STAMP
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not (root / manifest).is_file():
        return False
    return stamp.is_file() and stamp.read_text().strip() == digest


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
                self.collect()
        self.stdout.write("migrations applied")

    def collect(self) -> None:
        """collectstatic, unless the files are collected from these very sources already: with
        the hashed names and the gzip and brotli copies it costs ~12 s of CPU each time, which a
        node restarted under load (make soak's kill -9) spent before it served again."""
        digest = static_sources_digest()
        if collected_current(digest):
            self.stdout.write("static files current")
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        (Path(settings.STATIC_ROOT) / COLLECTED_STAMP).write_text(digest + "\n")
        self.stdout.write("static files collected")
