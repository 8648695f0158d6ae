"""Results out as files. The CSV and the command's .xlsx keep docs/domain.md's exchange columns
(for other systems); the .xlsx a manager downloads is for people: Vietnamese headers and values,
with the exchange columns on a second sheet. Rows are streamed, so memory stays flat.

The CSV streams from the request; the .xlsx and the PDF are built by a task (`export_job_*`,
whatever the campaign's size: one path), and the page offers the file once it is written."""

import csv
import datetime
import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.documents import spreadsheet_safe
from core.queue import enqueue_on_commit
from core.workbooks import column_widths

from .models import (
    Classification,
    ExportFormat,
    ExportJob,
    ExportStatus,
    Result,
    RunStatus,
    ScoringRun,
)
from .pdf import ranking_pdf_write

logger = logging.getLogger(__name__)

COLUMNS = [
    "unit_code",
    "unit_name",
    "block_code",
    "self_score",
    "final_score",
    "rank",
    "block_rank",
    "classification",
    "exemplary",
    "critical_shortfall",
]


# Where a workbook goes: a path or a binary file.
Target = str | os.PathLike[str] | IO[bytes]


def export_rows(run: ScoringRun) -> "QuerySet[Result, tuple[Any, ...]]":
    return run.results.order_by(F("rank").asc(nulls_last=True), "unit_code").values_list(*COLUMNS)


def cell(value: object) -> object:
    """Two decimals for scores, true/false for flags, empty where there is no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    return spreadsheet_safe(value)


def csv_lines(run: ScoringRun, *, bom: bool = False) -> Iterator[str]:
    """The CSV one line at a time (a header, then a row per enrolled unit). With `bom`, it starts
    with a UTF-8 byte order mark so that Excel reads the Vietnamese names right."""
    if bom:
        yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in export_rows(run).iterator(chunk_size=2000):
        writer.writerow([cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def longest_texts(run: ScoringRun, columns: list[str]) -> list[int | None]:
    """The length of the longest value of each text column of the run's results (one query);
    None for the other columns (numbers and flags, as wide as their header)."""
    texts = [c for c in columns if c in TEXT_COLUMNS]
    found = run.results.aggregate(**{c: Max(Length(c)) for c in texts}) if texts else {}
    return [found.get(c) for c in columns]


# The text columns of the results, whose width follows their longest value.
TEXT_COLUMNS = {"unit_code", "unit_name", "block_code", "block__name", "classification"}


def xlsx_write(run: ScoringRun, target: Target) -> None:
    """Write the workbook in openpyxl's write-only mode (memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    column_widths(sheet, COLUMNS, longest_texts(run, COLUMNS))
    sheet.append(COLUMNS)
    for row in export_rows(run).iterator(chunk_size=2000):
        sheet.append([cell(value) for value in row])
    workbook.save(target)


def people_headers() -> list[str]:
    return [
        _("Hạng"),
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Khối thi đua"),
        _("Hạng trong khối"),
        _("Điểm tự chấm"),
        _("Điểm cuối cùng"),
        _("Xếp loại"),
        _("Dẫn đầu cụm/khối"),
        _("Vi phạm tiêu chí bắt buộc"),
    ]


def yes_no(flag: bool) -> str:
    return _("Có") if flag else _("Không")


PEOPLE_COLUMNS = [
    "rank",
    "unit_code",
    "unit_name",
    "block__name",
    "block_rank",
    "self_score",
    "final_score",
    "classification",
    "exemplary",
    "critical_shortfall",
]


def people_rows(run: ScoringRun) -> Iterator[list[object]]:
    """Each result as people read it; scores stay numbers (the sheet formats them)."""
    bands = dict(Classification.choices)
    results = (
        run.results.order_by(F("rank").asc(nulls_last=True), "unit_code")
        .values_list(*PEOPLE_COLUMNS)
        .iterator(chunk_size=2000)
    )
    for rank, code, name, block, block_rank, own, final, band, exemplary, shortfall in results:
        yield [
            rank,
            spreadsheet_safe(code),
            spreadsheet_safe(name),
            spreadsheet_safe(block or ""),
            block_rank,
            own,
            final,
            str(bands.get(band, band)),
            yes_no(exemplary),
            yes_no(shortfall),
        ]


def decimal_cell(sheet: Any, value: Any) -> object:
    """A score with two decimals shown; any other value as it is (a plain value is faster)."""
    if not isinstance(value, Decimal):
        return value
    cell_ = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type] # openpyxl writes Decimal
    cell_.number_format = "0.00"
    return cell_


def xlsx_people_write(
    run: ScoringRun, target: Target, tick: Callable[[], None] | None = None
) -> None:
    """The download for people: a "Kết quả" sheet in Vietnamese, then the exchange sheet.
    `tick` is called after each row of either sheet (the export's progress)."""
    tick = tick or (lambda: None)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Kết quả"))
    headers = people_headers()
    longest = longest_texts(run, PEOPLE_COLUMNS)
    longest[PEOPLE_COLUMNS.index("classification")] = max(
        len(str(b)) for _v, b in Classification.choices
    )
    column_widths(sheet, headers, longest)
    sheet.append(headers)
    for row in people_rows(run):
        sheet.append([decimal_cell(sheet, value) for value in row])
        tick()
    exchange = workbook.create_sheet("results")
    column_widths(exchange, COLUMNS, longest_texts(run, COLUMNS))
    exchange.append(COLUMNS)
    for values in export_rows(run).iterator(chunk_size=2000):
        exchange.append([cell(value) for value in values])
        tick()
    workbook.save(target)


# Large files off the request ---------------------------------------------------------------------
# A manager asks for the PDF or the .xlsx; a task writes it under a generated name, reporting its
# progress on the ExportJob; the page polls it and then offers the file. Files are kept a week.

RANKINGS_PERM = "scoring.view_rankings"  # who reads the rankings reads their files
EXPORT_KEEP = datetime.timedelta(days=7)
# Rows between two progress writes: a few writes a second on a large campaign, none on a small one.
PROGRESS_EVERY = 500
WRITERS: dict[str, tuple[Callable[..., None], int]] = {  # format: (writer, passes over the rows)
    ExportFormat.PDF: (ranking_pdf_write, 1),
    ExportFormat.XLSX: (xlsx_people_write, 2),
}
ACTIVE_EXPORTS = [ExportStatus.QUEUED, ExportStatus.RUNNING]
LIVE = [*ACTIVE_EXPORTS, ExportStatus.DONE]


def export_job_request(*, actor: User | None, run: ScoringRun, fmt: str) -> ExportJob:
    """Ask for the results of `run` as a file, built by a task after the commit.

    Asking again for the same file (same person, run and format) while it is being built or kept
    gives the same job: a second click starts no second task. A kept file that went missing from
    the storage is built again.
    """
    campaign = run.campaign
    if actor is None or not actor.has_perm(RANKINGS_PERM, campaign):
        raise PermissionDenied
    if fmt not in WRITERS:
        raise ValidationError(_("Không có định dạng tệp này."), code="format")
    if run.status != RunStatus.SUCCEEDED:
        raise ValidationError(_("Lần tính điểm này chưa hoàn tất."), code="not_done")
    with transaction.atomic():
        # Two clicks at once queue on the run's row, so the second finds the first one's job.
        list(ScoringRun.objects.select_for_update().filter(pk=run.pk).values_list("pk"))
        job = ExportJob.objects.filter(
            run=run, format=fmt, requested_by=actor, status__in=LIVE
        ).first()
        if job is not None and (job.is_active or job.file.storage.exists(job.file.name)):
            return job
        job = ExportJob.objects.create(
            run=run,
            requested_by=actor,
            format=fmt,
            heartbeat_at=timezone.now(),
        )
        enqueue_on_commit("scoring.tasks.scoring_export_task", job.pk)
    return job


def export_job_build(job_id: int) -> None:
    """Write the file of a queued job (the task). Safe to run twice: only the claim that holds
    when the file is written marks it done; any other run of this step writes nothing."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now
    )
    if not claimed:
        return  # done, failed, or another worker holds it
    job = ExportJob.objects.select_related("run__campaign").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING, attempts=job.attempts)
    writer, passes = WRITERS[job.format]
    total = job.run.results.count() * passes
    mine.update(rows_total=total)
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if written % PROGRESS_EVERY == 0:
            mine.update(rows_done=written, heartbeat_at=timezone.now())

    try:
        with tempfile.TemporaryFile() as target:
            writer(job.run, target, tick)
            target.seek(0)
            job.file.save(f"ket-qua.{job.format}", File(target), save=False)
    except Exception as error:  # a full disk, a time limit: the page says why, the task fails
        export_job_fail(job_id, error, attempts=job.attempts)
        raise
    done = mine.update(
        status=ExportStatus.DONE,
        file=job.file.name,
        rows_done=total,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if not done:  # the watchdog gave the job to another worker meanwhile: its file counts
        job.file.storage.delete(job.file.name)


def export_job_fail(job_id: int, error: BaseException, *, attempts: int | None = None) -> None:
    """Mark a job that is still under way failed, with the reason the page shows; with
    `attempts`, only if that claim still holds (the watchdog may have handed the job on)."""
    message = " ".join(error.messages) if isinstance(error, ValidationError) else repr(error)
    jobs = ExportJob.objects.filter(pk=job_id, status__in=ACTIVE_EXPORTS)
    if attempts is not None:
        jobs = jobs.filter(attempts=attempts)
    jobs.update(
        status=ExportStatus.FAILED,
        error=message[:2000],
        finished_at=timezone.now(),
    )
    logger.warning("export job %s failed: %s", job_id, message)


def export_jobs_watchdog(now: datetime.datetime | None = None) -> list[int]:
    """The jobs to send again (celery beat, every minute), as the scoring watchdog does for runs.

    A job still queued after SCORING_QUEUE_GRACE_SECONDS (the broker was down, or its message was
    lost) is sent again; a job whose worker gave no sign of life for SCORING_STALE_SECONDS (longer
    than the task's time limit) goes back to the queue, or fails with the reason after
    SCORING_MAX_ATTEMPTS claims. Each is claimed by a conditional UPDATE: two watchdogs at once
    send nothing twice.
    """
    now = now or timezone.now()
    waiting = now - datetime.timedelta(seconds=settings.SCORING_QUEUE_GRACE_SECONDS)
    stale = now - datetime.timedelta(seconds=settings.SCORING_STALE_SECONDS)
    send: list[int] = []
    left = ExportJob.objects.filter(
        Q(status=ExportStatus.QUEUED, heartbeat_at__lt=waiting)
        | Q(status=ExportStatus.RUNNING, heartbeat_at__lt=stale)
    ).values_list("pk", "status", "attempts", "heartbeat_at")
    for pk, status, attempts, heartbeat in left:
        if status == ExportStatus.RUNNING and attempts >= settings.SCORING_MAX_ATTEMPTS:
            export_job_fail(pk, _gave_up(attempts))
        elif ExportJob.objects.filter(pk=pk, status=status, heartbeat_at=heartbeat).update(
            status=ExportStatus.QUEUED, heartbeat_at=now
        ):
            send.append(pk)
    return send


def _gave_up(attempts: int) -> ValidationError:
    return ValidationError(
        _(
            "Máy xử lý đã dừng giữa chừng %(n)s lần khi tạo tệp này. Hãy kiểm tra máy xử lý "
            "(Celery worker) rồi tạo lại tệp."
        )
        % {"n": attempts},
        code="gave_up",
    )


def export_jobs_clean(now: datetime.datetime | None = None) -> int:
    """Remove the files (and their records) asked for more than EXPORT_KEEP ago."""
    old = ExportJob.objects.filter(created_at__lt=(now or timezone.now()) - EXPORT_KEEP)
    removed = 0
    for job in old.exclude(status__in=ACTIVE_EXPORTS).only("pk", "file").iterator():
        if job.file:
            job.file.storage.delete(job.file.name)
        removed += ExportJob.objects.filter(pk=job.pk).delete()[0]
    return removed
