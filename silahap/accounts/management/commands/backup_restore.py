"""Restore a backup written by backup_write into an empty database and an empty store, checking
every file against the manifest's SHA-256. Then run `manage.py audit_verify`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from silahap.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database and store, verifying every file."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder: str, **options):
        try:
            result = restore_backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stderr.write(f"restore: {problem}")
        if result.problems:
            raise CommandError(f"{len(result.problems)} file(s) do not match the manifest")
        self.stdout.write(
            f"restore: database and {result.files} files ({result.bytes} bytes) restored and "
            "verified; run manage.py audit_verify next"
        )
