"""Time a scoring run against one bare SQL statement computing the same scores and ranks."""

import os
import resource
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

from celery import current_app as app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Sum

from campaigns.models import Campaign
from scoring import engine
from scoring.models import RunStatus
from scoring.services import scoring_run_start


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


class Command(BaseCommand):
    help = "Benchmark the scoring job on a generated campaign (see generate_load_data)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", default="BENCH")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: object, code: str, workers: int, **options: object) -> None:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"No campaign {code!r}: run `manage.py generate_load_data` first.")
        worker = self.start_worker(workers) if settings.CELERY_BROKER_URL else None
        try:
            job_seconds, run = self.time_job(campaign)
            memory = (
                peak_rss_mb(worker.pid)
                if worker
                else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
        finally:
            if worker:
                worker.terminate()
                worker.wait(timeout=30)
        bare_seconds, bare = self.time_bare(campaign)
        mismatches = self.compare(run, bare)
        units = campaign.enrolments.count()
        self.stdout.write(f"database: {connection.vendor}")
        self.stdout.write(f"units: {units}")
        self.stdout.write(f"scoring_job_seconds: {job_seconds:.2f}")
        self.stdout.write(f"bare_sql_seconds: {bare_seconds:.2f}")
        self.stdout.write(f"ratio: {job_seconds / bare_seconds:.2f}")
        where = f"{workers} worker processes" if worker else "in-process, no broker"
        self.stdout.write(f"worker_peak_memory_mb: {memory:.0f} ({where})")
        self.stdout.write(f"mismatches_with_bare_sql: {mismatches}")
        claims = run.chunks.aggregate(n=Sum("attempts"))["n"] or 0
        # More claims than chunks means a chunk was handed out again (a worker lost, the watchdog).
        self.stdout.write(f"chunks: {run.chunks_total} (claims: {claims})")

    def start_worker(self, workers: int) -> subprocess.Popen:  # type: ignore[type-arg]
        queue = f"bench-{uuid.uuid4().hex[:6]}"
        app.conf.task_default_queue = queue
        app.conf.task_always_eager = False
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

    def time_job(self, campaign: Campaign):  # type: ignore[no-untyped-def]
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

    def time_bare(self, campaign: Campaign) -> tuple[float, dict[int, tuple[Decimal, int]]]:
        inputs = engine.inputs_for(campaign)
        params = engine.params(inputs)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(engine.BARE_SQL, params)
            rows = cursor.fetchall()
        seconds = time.perf_counter() - started
        return seconds, {row[0]: (Decimal(row[1]) / 100, row[2]) for row in rows}

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
