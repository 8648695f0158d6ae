"""Backups that restore: the database and MEDIA_ROOT together in one dated archive.

`backup-2026-12-07T0200.tar.gz` holds
- `manifest.json`: when it was taken, the database engine, every table's row count and the sha256
  of every other member;
- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: a copy
  through SQLite's backup API, consistent while the portal writes);
- `media/...`: every file under MEDIA_ROOT.

A restore checks every sha256 before it changes anything, then replaces the database in one
transaction (pg_restore's script through `psql --single-transaction`; SQLite's backup API into
the live database) and only then swaps the media folder's contents for the checked copy it
unpacked beside them. An archive holds password hashes and every unit's files: it is written
readable by its owner only.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
NAME_FORMAT = "backup-%Y-%m-%dT%H%M"
NAME_PATTERN = re.compile(r"^backup-(\d{4}-\d{2}-\d{2}T\d{4})(?:-\d+)?\.tar\.gz$")
# Folders a restore works in, inside MEDIA_ROOT (so its renames stay on one file system); a
# backup leaves out any that a crashed restore left behind.
STAGING_PREFIXES = (".restore-", ".replaced-")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    database: str
    rows: dict[str, int]
    files: dict[str, str]  # member name -> sha256, the database dump included

    @property
    def media_count(self) -> int:
        return sum(1 for name in self.files if name.startswith(f"{MEDIA}/"))

    def summary(self) -> str:
        return (
            f"{self.engine} database, {len(self.rows)} tables, {sum(self.rows.values())} rows, "
            f"{self.media_count} media files"
        )


@dataclass(frozen=True)
class Unpacked:
    """An archive unpacked into `root` and checked against its manifest."""

    root: Path
    manifest: Manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


# Writing -----------------------------------------------------------------------------------------


def backup_write(*, directory: Path, now: datetime.datetime | None = None) -> tuple[Path, Manifest]:
    """Write a new archive into `directory`; a half-written one never carries the final name."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if directory.resolve().is_relative_to(media_root):
        raise BackupError(f"BACKUP_DIR ({directory}) must not be inside MEDIA_ROOT ({media_root}).")
    stamp = timezone.localtime(now or timezone.now())
    target = _free_name(directory, stamp.strftime(NAME_FORMAT))
    vendor = engine()
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=directory) as work:
        dump = Path(work) / DUMPS[vendor]
        rows = _pg_dump(dump) if vendor == "postgresql" else _sqlite_dump(dump)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                files = {DUMPS[vendor]: _add_file(archive, dump, DUMPS[vendor])}
                for name, path in _media_files(media_root):
                    # A draft's evidence removed while the backup runs is simply not in it.
                    with contextlib.suppress(FileNotFoundError):
                        files[f"{MEDIA}/{name}"] = _add_file(archive, path, f"{MEDIA}/{name}")
                created = stamp.isoformat(timespec="seconds")
                manifest = Manifest(created, vendor, DUMPS[vendor], rows, files)
                _add_bytes(archive, MANIFEST, _manifest_json(manifest))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.chmod(0o600)
        os.replace(partial, target)
    return target, manifest


def _free_name(directory: Path, stem: str) -> Path:
    target, n = directory / f"{stem}.tar.gz", 1
    while target.exists() or target.with_name(target.name + ".partial").exists():
        n += 1
        target = directory / f"{stem}-{n}.tar.gz"
    return target


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0].startswith(STAGING_PREFIXES) or not path.is_file():
            continue
        yield relative.as_posix(), path


def _manifest_json(manifest: Manifest) -> bytes:
    body = {
        "format": FORMAT,
        "created_at": manifest.created_at,
        "engine": manifest.engine,
        "database": manifest.database,
        "rows": manifest.rows,
        "files": manifest.files,
    }
    return json.dumps(body, indent=1, sort_keys=True).encode()


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(content))


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> str:
    """Add a file; its sha256 is taken from the very bytes written into the archive."""
    with path.open("rb") as stream:
        info = archive.gettarinfo(arcname=name, fileobj=stream)
        reader = _HashingReader(stream)
        archive.addfile(info, reader)  # type: ignore[arg-type]
    return reader.digest.hexdigest()


class _HashingReader:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    rows = {}
    for table in sorted(tables):
        # Table names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        rows[table] = cursor.fetchone()[0]
    return rows


def _pg_dump(target: Path) -> dict[str, int]:
    """pg_dump reads the snapshot this transaction exported, so the row counts are the dump's."""
    _require_no_transaction()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_pg("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _sqlite_dump(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _count_rows(copy.cursor(), _sqlite_tables(copy), connection.ops.quote_name)
    finally:
        copy.close()


def _sqlite_tables(database: sqlite3.Connection) -> list[str]:
    found = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
    )
    return [name for (name,) in found]


def _require_no_transaction() -> None:
    if connection.in_atomic_block:
        raise BackupError("Backups and restores cannot run inside a database transaction.")


def _pg_command(program: str, *arguments: str) -> tuple[list[str], dict[str, str]]:
    """`program` with the connection's database, user, host and port, and its environment
    (password, SSL options) as Django's own `dbshell` passes them."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client).")
    config = connection.settings_dict
    _, env = DatabaseClient.settings_to_cmd_args_env(config, [])
    target = ["--no-password", f"--dbname={config['NAME']}"]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if config.get(key):
            target.append(f"{flag}={config[key]}")
    return [executable, *target, *arguments], {**os.environ, **(env or {})}


def _run_pg(program: str, *arguments: str) -> None:
    command, env = _pg_command(program, *arguments)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-2000:]}")


def _pg_restore(dump: Path, tables: list[str]) -> None:
    """One psql transaction drops the tables the archive does not have (a later migration's,
    which `migrate` would otherwise trip over) and runs pg_restore's script, which drops and
    recreates the archive's own: any error rolls all of it back."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        extra = set(connection.introspection.table_names(cursor)) - set(tables)
    preamble = "".join(f"DROP TABLE IF EXISTS {quote(t)} CASCADE;\n" for t in sorted(extra))
    restore, env = _pg_command(
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-"
    )
    restore = [arg for arg in restore if not arg.startswith("--dbname=")] + [str(dump)]
    script = ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
    psql, _ = _pg_command("psql", *script, f"--command={preamble or 'SELECT 1;'}", "--file=-")
    pipe = subprocess.PIPE
    with subprocess.Popen(restore, env=env, stdout=pipe, stderr=pipe) as dumper:  # noqa: S603
        with subprocess.Popen(  # noqa: S603
            psql, env=env, stdin=dumper.stdout, stdout=subprocess.DEVNULL, stderr=pipe
        ) as loader:
            if dumper.stdout:
                dumper.stdout.close()  # psql holds the pipe: pg_restore stops if psql stops
            _, loader_errors = loader.communicate()
        dumper_errors = dumper.stderr.read() if dumper.stderr else b""
    if dumper.wait() != 0 or loader.returncode != 0:
        message = (dumper_errors + loader_errors).decode(errors="replace").strip()[-2000:]
        raise BackupError(f"The database was not restored (nothing changed): {message}")


# Pruning -----------------------------------------------------------------------------------------


def backups_prune(
    *, directory: Path, keep_days: int, now: datetime.datetime | None = None
) -> list[Path]:
    """Remove the archives named for a moment more than `keep_days` days ago; 0 keeps all."""
    if keep_days <= 0 or not directory.is_dir():
        return []
    limit = timezone.localtime(now or timezone.now()) - datetime.timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.iterdir()):
        taken = _taken_at(path.name)
        if taken is not None and taken < limit:
            path.unlink()
            removed.append(path)
    return removed


def _taken_at(name: str) -> datetime.datetime | None:
    found = NAME_PATTERN.match(name)
    if found is None:
        return None
    zone = timezone.get_current_timezone()
    return datetime.datetime.strptime(found[1], "%Y-%m-%dT%H%M").replace(tzinfo=zone)


# Checking and restoring --------------------------------------------------------------------------


@contextlib.contextmanager
def backup_unpacked(*, archive: Path, near: Path) -> Iterator[Unpacked]:
    """Unpack `archive` into a new folder inside `near` and check every sha256; the folder is
    removed on leaving. Raises BackupError, having changed nothing else, if anything differs."""
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    near.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIXES[0], dir=near))
    try:
        yield Unpacked(root, _unpack(archive, root))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _unpack(archive: Path, root: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            tar.extractall(root, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive.name} is not a readable backup archive ({error}).") from None
    manifest = _read_manifest(root / MANIFEST, archive)
    (root / MEDIA).mkdir(exist_ok=True)
    present = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    present.discard(MANIFEST)
    differ = sorted(
        name
        for name in present | set(manifest.files)
        if name not in present
        or name not in manifest.files
        or sha256_of(root / name) != manifest.files[name]
    )
    if differ:
        shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
        raise BackupError(
            f"{archive.name} is damaged: the sha256 of {len(differ)} file(s) does not match its "
            f"manifest ({shown}). Nothing was restored; use another archive."
        )
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    inside = not path.is_absolute() and ".." not in path.parts
    allowed = path.parts[:1] == (MEDIA,) or member.name in (MANIFEST, *DUMPS.values())
    if not (inside and (member.isfile() or member.isdir()) and allowed):
        raise tarfile.TarError(f"unexpected member {member.name!r}")


def _read_manifest(path: Path, archive: Path) -> Manifest:
    try:
        body = json.loads(path.read_text())
        manifest = Manifest(
            created_at=str(body["created_at"]),
            engine=str(body["engine"]),
            database=str(body["database"]),
            rows={str(k): int(v) for k, v in body["rows"].items()},
            files={str(k): str(v) for k, v in body["files"].items()},
        )
        if body["format"] != FORMAT or manifest.database not in manifest.files:
            raise ValueError("unknown format")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{archive.name} has no readable manifest ({error}).") from None
    return manifest


def backup_restore(*, unpacked: Unpacked) -> dict[str, tuple[int, int]]:
    """Replace the database, then MEDIA_ROOT's contents, with the checked archive.

    `unpacked.root` must lie inside MEDIA_ROOT (see `backup_unpacked`). Returns the tables whose
    row count now differs from the manifest's, {table: (archive, now)}: empty when all is well.
    """
    manifest = unpacked.manifest
    require_same_engine(manifest)
    _require_no_transaction()
    dump = unpacked.root / manifest.database
    if manifest.engine == "postgresql":
        _pg_restore(dump, list(manifest.rows))
    else:
        _sqlite_restore(dump)
    ContentType.objects.clear_cache()
    _media_swap(Path(settings.MEDIA_ROOT), unpacked.root / MEDIA)
    return _rows_differ(manifest.rows)


def require_same_engine(manifest: Manifest) -> None:
    if manifest.engine != engine():
        raise BackupError(
            f"The archive holds a {manifest.engine} database; the portal now uses {engine()}. "
            "Nothing was restored."
        )


def _sqlite_restore(dump: Path) -> None:
    """SQLite's backup API writes the whole copy into the live database in one transaction."""
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the database: {error}") from None
    finally:
        source.close()


def _media_swap(media_root: Path, fresh: Path) -> None:
    """Move MEDIA_ROOT's entries aside, the archive's in, and drop the old ones; each step is a
    rename on one file system (MEDIA_ROOT may itself be a mount point), undone if one fails."""
    replaced = Path(tempfile.mkdtemp(prefix=STAGING_PREFIXES[1], dir=media_root))
    old = [p for p in media_root.iterdir() if not p.name.startswith(STAGING_PREFIXES)]
    new = list(fresh.iterdir())
    moved: list[tuple[Path, Path]] = []
    try:
        for path in old:
            path.rename(replaced / path.name)
            moved.append((path, replaced / path.name))
        for path in new:
            path.rename(media_root / path.name)
            moved.append((path, media_root / path.name))
    except OSError as error:
        for source, destination in reversed(moved):
            destination.rename(source)
        raise BackupError(
            f"The database was restored but the media files could not be swapped in: {error}. "
            f"MEDIA_ROOT still holds the files it had."
        ) from None
    shutil.rmtree(replaced, ignore_errors=True)


def _rows_differ(expected: dict[str, int]) -> dict[str, tuple[int, int]]:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        now = _count_rows(cursor, [t for t in expected if t in present], connection.ops.quote_name)
    return {
        table: (count, now.get(table, -1))
        for table, count in expected.items()
        if now.get(table) != count
    }
