"""`manage.py backup` and `manage.py restore ARCHIVE`: the demo with its uploaded files comes back
exactly from one dated archive, after the database and the media folder are wiped; a damaged
archive or a cancelled confirmation changes nothing; archives older than the retention go."""

import datetime
import hashlib
import io
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments import services as assessments
from assessments.models import Evidence
from campaigns import services as campaigns
from campaigns.models import Campaign, CampaignAttachment, ConferenceFile, Criterion
from devtools.demo import CAMPAIGN_2026, XKL
from tests.factories import CampaignFactory, manager_of
from units.models import Membership

# A restore replaces the database from outside Django's connection: no test transaction around it.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str, note: str = "") -> SimpleUploadedFile:
    content = PDF + note.encode()
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def folders(settings, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """MEDIA_ROOT and BACKUP_DIR, side by side (an archive never goes inside MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.MEDIA_ROOT, settings.BACKUP_DIR


def table_rows() -> dict[str, int]:
    """Every table's row count: each model's table and many-to-many table, and whatever else
    the database holds (migrations, sessions)."""
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    with connection.cursor() as cursor:
        tables |= set(connection.introspection.table_names(cursor))
        rows = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = cursor.fetchone()[0]
    return rows


def media_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def stored_files() -> list[Evidence | CampaignAttachment | ConferenceFile]:
    return [
        *Evidence.objects.all(),
        *CampaignAttachment.objects.all(),
        *ConferenceFile.objects.all(),
    ]


def demo_files() -> None:
    """What the demo lacks, through the services: a plan, a conference document and
    two evidence files of the unit head's returned assessment."""
    live = Campaign.objects.get(code=CAMPAIGN_2026)
    manager = User.objects.get(username="manager")
    unithead = User.objects.get(username="unithead")
    campaigns.campaign_attachment_add(
        actor=manager, campaign=live, upload=pdf("ke-hoach.pdf", "kế hoạch"), title="Kế hoạch"
    )
    campaigns.conference_file_add(
        actor=manager, conference=live.conferences.get(), upload=pdf("bien-ban-hoi-nghi.pdf")
    )
    assessment = assessments.assessment_for(live.enrolments.get(unit__code=f"{XKL}-HND"))
    leaves = Criterion.objects.filter(checklist=live.checklist, children__isnull=True)
    for n, criterion in enumerate(leaves[:2]):
        assessments.evidence_add(
            actor=unithead,
            assessment=assessment,
            criterion_id=criterion.pk,
            upload=pdf(f"minh-chứng-{n}.pdf", f"ảnh số {n}"),
        )


def only_archive(directory: Path) -> Path:
    [archive] = directory.iterdir()
    return archive


def test_the_demo_and_its_files_come_back_after_the_database_and_media_are_wiped(
    folders: tuple[Path, Path],
) -> None:
    media_root, backup_dir = folders
    call_command("seed_demo", stdout=io.StringIO())
    demo_files()
    rows, files = table_rows(), media_digests(media_root)
    assert rows["assessments_evidence"] == 2 and len(files) == 4

    call_command("backup", stdout=io.StringIO())
    archive = only_archive(backup_dir)
    today = timezone.localdate().isoformat()
    assert re.fullmatch(rf"backup-{today}T\d{{4}}\.tar\.gz", archive.name)

    call_command("flush", "--noinput")
    shutil.rmtree(media_root)
    with connection.cursor() as cursor:  # as a migration newer than the archive would leave
        cursor.execute("CREATE TABLE later_migration (id integer)")
    assert not User.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)

    assert table_rows() == rows
    assert media_digests(media_root) == files
    for stored in stored_files():
        assert hashlib.sha256(stored.file.read()).hexdigest() == stored.sha256
    assert "every table's row count equals the archive's" in out.getvalue()
    # The wiped state was saved before it was replaced: that restore could be undone.
    [saved] = [path for path in backup_dir.iterdir() if path != archive]
    assert f"Saved the current state first: {saved}" in out.getvalue()
    # The portal goes on: the manager's pages open, and a new upload gets a new row.
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    assert client.get("/").status_code == 200
    demo_files()
    assert Evidence.objects.count() == 4


@pytest.fixture
def small_world(folders: tuple[Path, Path]) -> Campaign:
    campaign = CampaignFactory()
    manager = manager_of(campaign.authority, username="officer")
    campaigns.campaign_attachment_add(
        actor=manager, campaign=campaign, upload=pdf("ke-hoach.pdf"), title="Kế hoạch"
    )
    return campaign


def tampered(archive: Path, member_prefix: str) -> Path:
    """A copy of the archive in which one media file's bytes changed (its manifest did not)."""
    copy = archive.with_name("tampered.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(copy, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith(member_prefix):
                content = content.replace(b"%%EOF", b"%%EOX")
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    return copy


def add_another_attachment(campaign: Campaign) -> None:
    manager = Membership.objects.get(user__username="officer").user
    campaigns.campaign_attachment_add(
        actor=manager, campaign=campaign, upload=pdf("bo-sung.pdf", "sau"), title="Bổ sung"
    )


def test_a_damaged_archive_is_refused_and_nothing_changes(
    small_world: Campaign, folders: tuple[Path, Path]
) -> None:
    media_root, backup_dir = folders
    call_command("backup", stdout=io.StringIO())
    archive = tampered(only_archive(backup_dir), "media/campaigns/")
    add_another_attachment(small_world)
    rows, files = table_rows(), media_digests(media_root)

    with pytest.raises(CommandError, match="sha256") as refused:
        call_command("restore", str(archive), "--noinput", stdout=io.StringIO())

    assert "media/campaigns/campaignattachment/" in str(refused.value)
    assert "Nothing was restored" in str(refused.value)
    assert table_rows() == rows
    assert media_digests(media_root) == files
    assert [path.name for path in media_root.iterdir()] == ["campaigns"]


def test_restore_asks_first_and_a_no_changes_nothing(
    small_world: Campaign, folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    media_root, backup_dir = folders
    call_command("backup", stdout=io.StringIO())
    add_another_attachment(small_world)
    rows, files = table_rows(), media_digests(media_root)
    asked = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(only_archive(backup_dir)), stdout=io.StringIO())

    assert "Type 'yes' to continue" in asked[0]
    assert table_rows() == rows
    assert media_digests(media_root) == files
    monkeypatch.setattr("builtins.input", lambda question: "yes")
    archive = only_archive(backup_dir)
    call_command("restore", str(archive), "--no-backup-first", stdout=io.StringIO())
    assert CampaignAttachment.objects.count() == 1 and len(media_digests(media_root)) == 1
    assert list(backup_dir.iterdir()) == [archive]


def test_check_reads_the_archive_and_its_figures_without_changing_anything(
    small_world: Campaign, folders: tuple[Path, Path]
) -> None:
    media_root, backup_dir = folders
    call_command("backup", stdout=io.StringIO())
    add_another_attachment(small_world)
    rows, files = table_rows(), media_digests(media_root)

    out = io.StringIO()
    call_command("restore", str(only_archive(backup_dir)), "--check", stdout=out)

    assert "is intact" in out.getvalue()
    assert re.search(r"^\s+1  campaigns_campaignattachment$", out.getvalue(), re.M)
    assert table_rows() == rows and media_digests(media_root) == files


def drop_every_table() -> None:
    """An empty database, as `createdb` makes for the monthly check."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE {quote(table)}{cascade}")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")


def test_an_archive_restores_into_an_empty_database(
    small_world: Campaign, folders: tuple[Path, Path]
) -> None:
    media_root, backup_dir = folders
    call_command("backup", stdout=io.StringIO())
    rows, files = table_rows(), media_digests(media_root)
    drop_every_table()
    shutil.rmtree(media_root)

    archive = only_archive(backup_dir)
    call_command("restore", str(archive), "--noinput", "--no-backup-first", stdout=io.StringIO())

    assert table_rows() == rows
    assert media_digests(media_root) == files


def test_a_backup_removes_archives_older_than_the_retention(folders: tuple[Path, Path]) -> None:
    _, backup_dir = folders
    backup_dir.mkdir()
    now = timezone.localtime()
    old = backup_dir / (now - datetime.timedelta(days=31)).strftime("backup-%Y-%m-%dT%H%M.tar.gz")
    recent = backup_dir / (now - datetime.timedelta(days=29)).strftime(
        "backup-%Y-%m-%dT%H%M.tar.gz"
    )
    other = backup_dir / "ghi-chu.txt"
    for path in (old, recent, other):
        path.write_bytes(b"")

    out = io.StringIO()
    call_command("backup", "--keep-days", "30", stdout=out)

    left = sorted(path.name for path in backup_dir.iterdir())
    assert old.name not in left and recent.name in left and other.name in left
    assert len(left) == 3 and f"Removed {old.name}" in out.getvalue()


def test_a_backup_never_goes_inside_the_media_folder(folders: tuple[Path, Path]) -> None:
    media_root, _ = folders
    with pytest.raises(CommandError, match="must not be inside MEDIA_ROOT"):
        call_command("backup", "--dir", str(media_root / "backups"), stdout=io.StringIO())
