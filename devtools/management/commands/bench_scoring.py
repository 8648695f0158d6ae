"""Time a scoring run against one bare SQL statement computing the same scores and ranks (with
2 worker processes and in this process), and each campaign page at two sizes of campaign."""

import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

from celery import current_app as app
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.tallies import criterion_scores_drift
from campaigns.models import Campaign
from scoring import engine, pipeline
from scoring.exports import export_job_build
from scoring.models import ExportFormat, ExportJob, Result, RunStatus, ScoringRun
from scoring.services import scoring_run_publish, scoring_run_start
from units.models import Unit


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a process and its children (Linux), in MB."""
    total = 0
    for candidate in [pid, *_children(pid)]:
        status = Path(f"/proc/{candidate}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total = max(total, int(line.split()[1]))
    return total / 1024


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


# The yardsticks: a run's scores and ranks in one statement, nothing written. The first reads the
# score tables themselves (the rules' own inputs), the second the stored per-criterion scores a
# run reads (the like-for-like floor of the job).
RANKED = """
    SELECT s.enrolment_id, s.final_h,
           RANK() OVER (ORDER BY s.final_h DESC) AS r,
           RANK() OVER (PARTITION BY s.block_id ORDER BY s.final_h DESC) AS br
    FROM scored s WHERE s.submitted_at IS NOT NULL
"""
# Each criterion's cells from the score tables themselves: the mean of the review scores at the
# latest stage that scored it, else the self score (what `assessments.tallies` keeps per criterion).
RAW_CELLS = """
    latest AS (
        SELECT r.assessment_id, r.criterion_id, MAX(r.stage) AS stage
        FROM assessments_reviewitem r JOIN enr ON enr.assessment_id = r.assessment_id
        GROUP BY r.assessment_id, r.criterion_id
    ),
    rev AS (
        SELECT r.assessment_id, r.criterion_id,
               CAST(SUM(CAST(ROUND(r.score * 100) AS BIGINT)) AS BIGINT) AS s,
               COUNT(*) AS n
        FROM assessments_reviewitem r
        JOIN latest l ON l.assessment_id = r.assessment_id
                     AND l.criterion_id = r.criterion_id AND l.stage = r.stage
        GROUP BY r.assessment_id, r.criterion_id
    ),
    cell AS (
        SELECT enr.enrolment_id, leaf.id AS criterion_id, leaf.kind, leaf.critical, leaf.max_c,
               COALESCE(CAST(ROUND(i.self_score * 100) AS BIGINT), 0) * %(lcm)s AS self_l,
               COALESCE(rev.s * (%(lcm)s / rev.n),
                        COALESCE(CAST(ROUND(i.self_score * 100) AS BIGINT), 0) * %(lcm)s)
                   AS final_l
        FROM enr CROSS JOIN leaf
        LEFT JOIN assessments_assessmentitem i
               ON i.assessment_id = enr.assessment_id AND i.criterion_id = leaf.id
        LEFT JOIN rev ON rev.assessment_id = enr.assessment_id AND rev.criterion_id = leaf.id
        WHERE enr.submitted_at IS NOT NULL
    ),
"""
BARE_SQL = engine.unit_totals(enrolments="1 = 1", cells=RAW_CELLS, criteria="NULL") + RANKED
BARE_STORED_SQL = (
    engine.unit_totals(enrolments="1 = 1", cells=engine.STORED_CELLS, criteria="NULL") + RANKED
)

STREAMED = {"export_csv"}  # downloads sent as they are read: timed as streams, not as pages


def pages(campaign: Campaign, run: ScoringRun) -> dict[str, str]:
    """Every campaign page a manager opens, and the downloads."""
    code = campaign.code
    result = (
        Result.objects.filter(run=run, block__isnull=False, final_score__isnull=False)
        .order_by("pk")
        .first()
    )
    found = {
        "detail": reverse("campaigns:detail", args=[code]),
        "units": reverse("campaigns:enrolments", args=[code]),
        "registrations": reverse("campaigns:registrations", args=[code]),
        "progress": reverse("assessments:progress", args=[code]),
        "runs": reverse("scoring:runs", args=[code]),
        "rankings": reverse("scoring:rankings", args=[code]),
        "export_csv": reverse("scoring:export", args=[code, "csv"]),
    }
    if result is not None:
        found["unit_result"] = reverse("scoring:unit_result", args=[code, result.enrolment_id])
    return found


class Command(BaseCommand):
    help = "Benchmark the scoring job and the campaign pages (see generate_load_data)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", default="BENCH")
        parser.add_argument("--small", default="BENCH20", help="the small campaign for pages")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--repeat", type=int, default=3, help="timings per page (median)")
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="time only the pages, on each campaign's latest finished run (if any)",
        )

    def handle(  # type: ignore[no-untyped-def]
        self,
        *args: object,
        code: str,
        small: str,
        workers: int,
        repeat: int,
        pages_only: bool,
        **options,
    ) -> None:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"No campaign {code!r}: run `manage.py generate_load_data` first.")
        if pages_only:
            self.time_pages(campaign, self.finished_run(campaign), small, repeat)
            return
        out = self.stdout.write
        out(f"database: {connection.vendor}")
        out(f"units: {campaign.enrolments.count()}")
        bare_before, bare = self.time_bare(campaign)
        floor_before, floor = self.time_bare(campaign, stored=True)
        local_seconds, local_run = self.time_in_process(campaign)
        local_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        job_seconds, run, memory = None, local_run, None
        if settings.CELERY_BROKER_URL:
            worker = self.start_worker(workers)
            try:
                job_seconds, run = self.time_job(campaign, eager=False)
                memory = peak_rss_mb(worker.pid)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
        bare_after, _ = self.time_bare(campaign)
        floor_after, _ = self.time_bare(campaign, stored=True)
        bare_seconds = (bare_before + bare_after) / 2
        floor_seconds = (floor_before + floor_after) / 2
        out(f"bare_sql_seconds: {bare_seconds:.2f} ({bare_before:.2f}, {bare_after:.2f})")
        out(
            f"bare_sql_stored_seconds: {floor_seconds:.2f} ({floor_before:.2f}, "
            f"{floor_after:.2f}; the same statement over the stored per-criterion scores)"
        )
        out(f"mismatches_stored_with_bare_sql: {self.differ(floor, bare)}")
        if job_seconds is not None:
            out(f"job_{workers}_workers_seconds: {job_seconds:.2f}")
            out(f"ratio_{workers}_workers: {job_seconds / bare_seconds:.2f} (goal <= 1.5)")
            out(
                f"ratio_{workers}_workers_to_stored_floor: {job_seconds / floor_seconds:.2f} "
                "(goal <= 3)"
            )
            out(f"worker_peak_memory_mb: {memory:.0f} ({workers} worker processes)")
        else:
            out("job with workers: skipped (no CELERY_BROKER_URL)")
        out(f"job_in_process_seconds: {local_seconds:.2f}")
        out(f"ratio_in_process: {local_seconds / bare_seconds:.2f} (goal <= 2)")
        out(f"ratio_in_process_to_stored_floor: {local_seconds / floor_seconds:.2f} (goal <= 3)")
        out(f"in_process_peak_memory_mb: {local_memory:.0f}")
        for name, checked in [("in process", local_run), (f"{workers} workers", run)]:
            out(f"mismatches_with_bare_sql ({name}): {self.compare(checked, bare)}")
        claims = run.chunks.aggregate(n=Sum("attempts"))["n"] or 0
        # More claims than chunks means a chunk was handed out again (a worker lost, the watchdog).
        out(f"chunks: {run.chunks_total} (claims: {claims})")
        checksum, recompute, drift = self.time_audit(campaign)
        out(f"inputs_checksum_seconds: {checksum:.2f} (the audit's full read; a run compares the")
        out("  campaign's scores_version instead of taking it at its plan and at its finish)")
        out(f"criterion_scores_audit_seconds: {recompute:.2f} (every stored per-criterion score")
        out(f"  recomputed from the score tables and compared: {drift} differ)")
        self.time_pages(campaign, run, small, repeat)

    def time_pages(self, campaign: Campaign, run: ScoringRun, small: str, repeat: int) -> None:
        """Each page's median time and queries at both sizes, and their ratio (goal: <= 3)."""
        little = Campaign.objects.filter(code=small).first()
        if little is None:
            self.stdout.write(f"pages: skipped (no campaign {small!r}: see `make bench`)")
            return
        little_run = self.finished_run(little)
        admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(admin)
        sizes = [(little, little_run), (campaign, run)]
        units = [c.enrolments.count() for c, _ in sizes]
        self.stdout.write(f"pages (median of {repeat}; {units[0]} units vs {units[1]} units):")
        for name in pages(campaign, run):
            if name in STREAMED:
                self.time_download(client, name, [pages(c, r)[name] for c, r in sizes], repeat)
                continue
            urls = [pages(c, r).get(name) for c, r in sizes]
            self.time_both(client, name, urls, repeat)  # type: ignore[arg-type]
        self.time_public(sizes, admin, repeat)
        figures = self.time_page(client, reverse("units:tree"), repeat)
        self.stdout.write(
            f"  page unit_tree      {figures[0] * 1000:8.0f} ms (every unit of the database: "
            f"{Unit.objects.count()}; first page of 100)  queries {figures[1]}"
        )
        self.time_exports(sizes, admin, repeat)

    def time_both(self, client: Client, name: str, urls: list[str | None], repeat: int) -> None:
        figures = [self.time_page(client, url, repeat) for url in urls]
        if None in figures:
            return
        (small_s, small_q), (large_s, large_q) = figures  # type: ignore[misc]
        self.stdout.write(
            f"  page {name:14} {small_s * 1000:8.0f} ms {large_s * 1000:8.0f} ms "
            f"ratio {large_s / small_s:5.2f}  queries {small_q} / {large_q}"
        )

    def time_public(self, sizes, admin: User, repeat: int) -> None:  # type: ignore[no-untyped-def]
        """The public results page, for anyone: each run is published first (with the units
        not reviewed, as the bench's data has some)."""
        for _campaign, run in sizes:
            if not run.is_published:
                try:
                    scoring_run_publish(actor=admin, run=run, publish_unreviewed=True)
                except ValidationError as error:
                    self.stdout.write(f"  page public: skipped ({' '.join(error.messages)})")
                    return
        urls = [reverse("scoring:public_results", args=[c.code]) for c, _run in sizes]
        self.time_both(Client(HTTP_HOST="localhost"), "public", urls, repeat)  # type: ignore[arg-type]

    def time_exports(self, sizes, admin: User, repeat: int) -> None:  # type: ignore[no-untyped-def]
        """The PDF and .xlsx are built by a task, off the request: time the task at both sizes."""
        for fmt in (ExportFormat.XLSX, ExportFormat.PDF):
            figures = []
            for _campaign, run in sizes:
                times = []
                for _ in range(repeat):
                    job = ExportJob.objects.create(run=run, requested_by=admin, format=fmt)
                    started = time.perf_counter()
                    export_job_build(job.pk)
                    times.append(time.perf_counter() - started)
                    job.refresh_from_db()
                    job.file.delete(save=False)
                    job.delete()
                figures.append(statistics.median(times))
            small_s, large_s = figures
            self.stdout.write(
                f"  task export_{fmt:7} {small_s * 1000:8.0f} ms {large_s * 1000:8.0f} ms "
                f"ratio {large_s / small_s:5.2f}  (off the request: the page polls it)"
            )

    def finished_run(self, campaign: Campaign) -> ScoringRun:
        """The campaign's latest finished run, or a new one run in this process."""
        run = (
            ScoringRun.objects.filter(campaign=campaign, status=RunStatus.SUCCEEDED)
            .order_by("-finished_at", "-pk")
            .first()
        )
        return run if run is not None else self.time_in_process(campaign)[1]

    def time_page(self, client: Client, url: str | None, repeat: int):  # type: ignore[no-untyped-def]
        if url is None:
            return None
        times = []
        for _ in range(repeat + 1):  # the first one warms the caches
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:  # a download not in STREAMED: its whole body
                    b"".join(response.streaming_content)  # type: ignore[attr-defined]
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"{url}: {response.status_code}")
        return statistics.median(times[1:]), len(queries)

    def time_download(self, client: Client, name: str, urls: list[str], repeat: int) -> None:
        """A streamed download at both sizes: when its first byte, its first unit's row (the
        header and one row: its query has run) and its whole body arrive, and its size. Its
        length grows with the campaign by nature, so it has no page ratio."""
        figures = []
        for url in urls:
            runs = []
            for _ in range(repeat + 1):  # the first one warms the caches
                with CaptureQueriesContext(connection) as queries:
                    runs.append(self.stream(client, url))
            first_byte, first_row, whole, size = (
                statistics.median(x) for x in zip(*runs[1:], strict=True)
            )
            figures.append((first_byte, first_row, whole, size, len(queries)))
        (b1, r1, w1, s1, q1), (b2, r2, w2, s2, q2) = figures
        self.stdout.write(
            f"  download {name} (streamed, small / large): first byte {b1 * 1000:.0f} / "
            f"{b2 * 1000:.0f} ms, first row {r1 * 1000:.0f} / {r2 * 1000:.0f} ms, whole body "
            f"{w1 * 1000:.0f} / {w2 * 1000:.0f} ms ({s1 / 1024:.0f} / {s2 / 1024:.0f} KB), "
            f"queries {q1} / {q2}"
        )

    def stream(self, client: Client, url: str) -> tuple[float, float, float, int]:
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise CommandError(f"{url}: {response.status_code}, streamed: {response.streaming}")
        first_byte = first_row = None
        size = lines = 0
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            size, lines = size + len(chunk), lines + chunk.count(b"\n")
            if first_byte is None and size:
                first_byte = time.perf_counter() - started
            if first_row is None and lines >= 2:
                first_row = time.perf_counter() - started
        whole = time.perf_counter() - started
        return first_byte or whole, first_row or whole, whole, size

    def start_worker(self, workers: int) -> subprocess.Popen:  # type: ignore[type-arg]
        queue = f"bench-{uuid.uuid4().hex[:6]}"
        app.conf.task_default_queue = queue
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "emulation_portal",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}@localhost",
            "-c",
            str(workers),
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ]
        env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue}
        process = subprocess.Popen(command, env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@localhost"], timeout=1.0):
            if time.monotonic() > deadline or process.poll() is not None:
                raise CommandError("The Celery worker did not start.")
        return process

    def time_in_process(self, campaign: Campaign):  # type: ignore[no-untyped-def]
        """A run's steps one after the other in this process (`pipeline.execute`), each timed."""
        app.conf.task_default_queue = f"bench-unread-{uuid.uuid4().hex[:6]}"  # nobody takes it
        app.conf.task_always_eager = False
        started = time.perf_counter()
        run = scoring_run_start(actor=None, campaign=campaign)
        steps = {"plan": 0.0, "chunks": 0.0, "finish": 0.0}
        mark = time.perf_counter()
        chunk_ids = pipeline.plan(run.pk) or []
        steps["plan"], mark = time.perf_counter() - mark, time.perf_counter()
        for chunk_id in chunk_ids:
            pipeline.chunk(run.pk, chunk_id)
        steps["chunks"], mark = time.perf_counter() - mark, time.perf_counter()
        pipeline.finish(run.pk)
        steps["finish"] = time.perf_counter() - mark
        seconds = time.perf_counter() - started
        run.refresh_from_db()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"The scoring run failed: {run.error}")
        self.stdout.write(
            f"in process, {campaign.code}: "
            + ", ".join(f"{name} {value:.2f} s" for name, value in steps.items())
        )
        return seconds, run

    def time_job(self, campaign: Campaign, *, eager: bool):  # type: ignore[no-untyped-def]
        """A run from its start to its end on the workers (or eager, in this process)."""
        app.conf.task_always_eager = eager
        started = time.perf_counter()
        run = scoring_run_start(actor=None, campaign=campaign)
        while True:
            run.refresh_from_db()
            if not run.is_active:
                break
            time.sleep(0.05)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"The scoring run failed: {run.error}")
        return time.perf_counter() - started, run

    def time_audit(self, campaign: Campaign) -> tuple[float, float, int]:
        """`score_campaign --audit`: the checksum of every input (`engine.inputs_checksum`), the
        version's audit; and the stored per-criterion scores against a full recomputation."""
        inputs = engine.inputs_for(campaign)
        started = time.perf_counter()
        engine.inputs_checksum(inputs)
        checksum = time.perf_counter() - started
        started = time.perf_counter()
        drift = criterion_scores_drift(campaign.pk)
        return checksum, time.perf_counter() - started, drift

    def time_bare(
        self, campaign: Campaign, *, stored: bool = False
    ) -> tuple[float, dict[int, tuple[Decimal, int]]]:
        inputs = engine.inputs_for(campaign)
        params = engine.params(inputs, a_lo=0, a_hi=2**62)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BARE_STORED_SQL if stored else BARE_SQL, params)
            rows = cursor.fetchall()
        seconds = time.perf_counter() - started
        return seconds, {row[0]: (Decimal(row[1]) / 100, row[2]) for row in rows}

    @staticmethod
    def differ(one: dict[int, tuple[Decimal, int]], other: dict[int, tuple[Decimal, int]]) -> int:
        return sum(1 for key in one.keys() | other.keys() if one.get(key) != other.get(key))

    def compare(self, run, bare: dict[int, tuple[Decimal, int]]) -> int:  # type: ignore[no-untyped-def]
        mismatches = 0
        for enrolment_id, final, rank in (
            run.results.filter(final_score__isnull=False)
            .values_list("enrolment_id", "final_score", "rank")
            .iterator(chunk_size=5000)
        ):
            if bare.get(enrolment_id) != (final, rank):
                mismatches += 1
        return mismatches
