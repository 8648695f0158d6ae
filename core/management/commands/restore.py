import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import (
    BackupError,
    Manifest,
    backup_restore,
    backup_unpacked,
    backup_write,
    require_same_engine,
)


class Command(BaseCommand):
    help = (
        "Bring back the database and MEDIA_ROOT from an archive written by `backup`, after "
        "checking every file's sha256 (a damaged archive is refused and nothing changes)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument(
            "--no-backup-first",
            action="store_false",
            dest="backup_first",
            help="do not save the current database and files (into BACKUP_DIR) before restoring",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the archive's sha256s and print its figures; change nothing",
        )

    def handle(
        self,
        *args: object,
        archive: Path,
        interactive: bool,
        backup_first: bool,
        check: bool,
        **options: object,
    ) -> None:
        media_root = Path(settings.MEDIA_ROOT)
        # A restore unpacks inside MEDIA_ROOT, so its files move in by renames; a check anywhere.
        near = Path(tempfile.gettempdir()) if check else media_root
        try:
            with backup_unpacked(archive=archive, near=near) as unpacked:
                manifest = unpacked.manifest
                self.stdout.write(f"{archive.name} is intact: {manifest.summary()}.")
                if check:
                    self.print_rows(manifest)
                    return
                require_same_engine(manifest)
                if interactive:
                    self.confirm(manifest, media_root)
                if backup_first:
                    self.save_current_state()
                differ = backup_restore(unpacked=unpacked)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if differ:
            lines = [
                f"{table}: {was} in the archive, {now} now" for table, (was, now) in differ.items()
            ]
            raise CommandError("Restored, but row counts differ:\n" + "\n".join(lines))
        self.stdout.write(
            f"Restored the backup of {manifest.created_at}: {manifest.summary()}; every table's "
            "row count equals the archive's. Run `manage.py migrate` if the code is newer."
        )

    def confirm(self, manifest: Manifest, media_root: Path) -> None:
        database = connection.settings_dict["NAME"]
        question = (
            f"This replaces every row of the database {database} and every file under "
            f"{media_root} with the backup of {manifest.created_at}.\n"
            "Type 'yes' to continue, or anything else to cancel: "
        )
        if input(question).strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")

    def save_current_state(self) -> None:
        """A restore of the wrong archive can itself be undone."""
        try:
            saved, _ = backup_write(directory=Path(settings.BACKUP_DIR))
        except BackupError as error:
            raise BackupError(
                f"Could not save the current state first ({error}); nothing was restored. "
                "--no-backup-first restores without saving it."
            ) from None
        self.stdout.write(f"Saved the current state first: {saved}")

    def print_rows(self, manifest: Manifest) -> None:
        for table, count in sorted(manifest.rows.items()):
            self.stdout.write(f"{count:>10}  {table}")
