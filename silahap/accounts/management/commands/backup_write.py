"""Write a consistent backup: the database (SQLite online backup, or pg_dump -Fc on an exported
snapshot) and a manifest of every stored file with its SHA-256 and size, the files copied beside
it or (--list-files) listed by key only. README, "Backup and restore"."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from silahap.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database and the stored files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new, empty folder")
        parser.add_argument(
            "--list-files",
            action="store_true",
            help="list the stored files by key and hash instead of copying them "
            "(for a versioned, replicated bucket)",
        )

    def handle(self, *args, folder: str, list_files: bool, **options):
        try:
            result = write_backup(Path(folder), copy_files=not list_files)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stderr.write(f"backup: {problem}")
        self.stdout.write(
            f"backup: database and {result.files} files ({result.bytes} bytes) in {folder}"
        )
        if result.problems:
            raise CommandError(f"{len(result.problems)} stored file(s) could not be vouched for")
