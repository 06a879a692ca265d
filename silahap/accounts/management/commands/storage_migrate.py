"""Move the stored files from the local disk into the object store, verifying each one.

Every file the database refers to is read from the disk, its SHA-256 checked against the one the
app recorded at upload (evidence originals, SOP documents, tutorial videos, attachments), written
to the configured store under the same key, read back and hashed again. Each verified key is
appended to a journal, so a run that was interrupted goes on where it stopped. A file whose bytes
no longer match their recorded hash is refused (not copied) and named; the command then exits 1.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management.base import BaseCommand, CommandError

from silahap.storage import is_remote, sha256_of, stored_files


class Command(BaseCommand):
    help = "Copy stored files from the local disk to the object store, verifying each SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default=str(settings.MEDIA_ROOT))
        parser.add_argument(
            "--journal", default=str(Path(settings.VAR_DIR) / "storage-migrate.journal")
        )

    def handle(self, *args, source: str, journal: str, **options):
        if not is_remote(default_storage):
            raise CommandError(
                "the configured store is the local disk; set SILAHAP_STORAGE=s3 and its "
                "SILAHAP_S3_* settings first"
            )
        local = FileSystemStorage(location=source)
        target = self._overwriting()
        journal_path = Path(journal)
        done = set(journal_path.read_text().split()) if journal_path.exists() else set()
        copied = skipped = 0
        refused: list[str] = []
        with journal_path.open("a") as log:
            for label, name, recorded in stored_files():
                if name in done:
                    skipped += 1
                    continue
                problem = self._copy(local, target, name, recorded)
                if problem:
                    refused.append(f"{name} ({label}): {problem}")
                    continue
                log.write(f"{name}\n")
                log.flush()
                copied += 1
        self.stdout.write(
            f"storage_migrate: {copied} copied and verified, {skipped} already done, "
            f"{len(refused)} refused"
        )
        for line in refused:
            self.stderr.write(f"refused {line}")
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused; see above, then run again")

    @staticmethod
    def _overwriting():
        # The same key as on disk (the rows name it): replace a half-written object, never rename.
        config = settings.STORAGES["default"]
        options = {**config.get("OPTIONS", {}), "file_overwrite": True}
        return storages.create_storage({**config, "OPTIONS": options})

    @staticmethod
    def _copy(local, target, name: str, recorded: str | None) -> str:
        if not local.exists(name):
            return "missing on disk"
        with local.open(name, "rb") as handle:
            digest, size = sha256_of(handle)
        if recorded and digest != recorded:
            return f"its SHA-256 {digest[:12]}… differs from the recorded {recorded[:12]}…"
        with local.open(name, "rb") as handle:
            stored = target.save(name, File(handle, name=name))
        if stored != name:
            return f"the store named it {stored}"
        with target.open(name, "rb") as handle:
            copy_digest, copy_size = sha256_of(handle)
        if (copy_digest, copy_size) != (digest, size):
            target.delete(name)
            return "the copy read back differs; removed from the store"
        return ""
