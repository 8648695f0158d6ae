from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_write, backups_prune


class Command(BaseCommand):
    help = (
        "Write one dated archive of the database and MEDIA_ROOT (with a manifest of row counts "
        "and sha256s) into BACKUP_DIR, then remove archives older than BACKUP_KEEP_DAYS."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            help="where to write the archive (default: BACKUP_DIR)",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            help="remove archives older than this many days; 0 keeps all "
            "(default: BACKUP_KEEP_DAYS)",
        )

    def handle(
        self, *args: object, directory: Path | None, keep_days: int | None, **options: object
    ) -> None:
        directory = directory or Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
        try:
            archive, manifest = backup_write(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = archive.stat().st_size / (1024 * 1024)
        self.stdout.write(f"Wrote {archive} ({size:.1f} MB): {manifest.summary()}.")
        for removed in backups_prune(directory=directory, keep_days=keep):
            self.stdout.write(f"Removed {removed.name} (older than {keep} days).")
