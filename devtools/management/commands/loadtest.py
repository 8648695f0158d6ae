"""The deadline rush, measured from outside (`make loadtest`).

gunicorn (production settings less TLS, 4 sync workers) and a real Celery worker serve the
database that `generate_rush_data` filled; Locust (headless, on this machine) plays the people:
1. the ramp: heads only, saving drafts, at more and more users, until p95 passes 1 s;
2. the rush: `--heads` heads log in, open their checklist, save drafts and submit, unit after unit,
   while 20 council members review and the manager watches progress and starts a scoring run of
   the previous round at the midpoint.
It prints requests, failures and p50/p95/p99 per page and action, then checks that every save the
portal acknowledged is in the database and that the run succeeded. It fails (exit 1) on a lost
save, a failed request (one sent to the sign-in page or the two-factor step counts: the Locust
users check it) or a run that did not succeed or never started; the times are printed, never
asserted. Locust runs from its own virtualenv (`--locust`, make loadtest's .venv-load), so its
gevent stays out of the portal's.
"""

import csv
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from assessments.models import AssessmentItem
from scoring.models import RunStatus, ScoringRun

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"
GOAL_MS = 500
CEILING_MS = 1000


def percentiles(stats_csv: Path) -> list[dict[str, str]]:
    with stats_csv.open() as handle:
        return list(csv.DictReader(handle))


def succeeded(run: ScoringRun | None) -> bool:
    return run is not None and run.status == RunStatus.SUCCEEDED


def run_outcome(run: ScoringRun | None) -> str:
    """What became of the run the manager started at the midpoint, in a few words."""
    if run is None:
        return "none started"
    if run.status == RunStatus.SUCCEEDED and run.started_at and run.finished_at:
        seconds = (run.finished_at - run.started_at).total_seconds()
        return f"succeeded (run {run.pk}, {seconds:.1f} s)"
    if run.status == RunStatus.FAILED:
        return f"failed: {run.error[:200]}"
    return str(run.status)


def refuse_unless_sound(lost: int, failures: int, run: ScoringRun | None) -> None:
    """The rush fails (exit 1) on a lost save, a failed request or a run that did not succeed."""
    problems = [
        *([f"{lost} lost saves"] if lost else []),
        *([f"{failures} failed requests"] if failures else []),
        *([] if succeeded(run) else [f"the scoring run {run_outcome(run)}"]),
    ]
    if problems:
        raise CommandError("the rush: " + "; ".join(problems))


class Command(BaseCommand):
    help = "Run the deadline-rush load test against gunicorn + a Celery worker (see make loadtest)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--plan", type=Path, required=True)
        parser.add_argument("--heads", type=int, default=50, help="concurrent heads in the rush")
        parser.add_argument("--duration", type=int, default=150, help="seconds of the rush")
        parser.add_argument("--ramp", default="50,100,150,200,300", help="users per ramp step")
        parser.add_argument("--step-seconds", type=int, default=30)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--gunicorn-workers", type=int, default=4)
        parser.add_argument(
            "--locust",
            default=f"{sys.executable} -m locust",
            help="the command that runs Locust (make loadtest: .venv-load/bin/locust)",
        )
        parser.add_argument(
            "--check",
            type=Path,
            metavar="ACKED_JSON",
            help="start nothing: check a rush run elsewhere (docs/loadtest.md, a real deployment)"
            " - the acknowledged saves Locust wrote (RUSH_ACKED) and the plan's scoring run",
        )

    def handle(self, *args: object, **options: object) -> None:  # type: ignore[override]
        if options["check"] is not None:
            self.check_only(options["plan"], options["check"])  # type: ignore[arg-type]
            return
        if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
            raise CommandError(
                "The load test runs on PostgreSQL and Redis: set DATABASE_URL and "
                "CELERY_BROKER_URL (make loadtest does)."
            )
        plan_path: Path = options["plan"]  # type: ignore[assignment]
        plan = json.loads(plan_path.read_text())
        self.work = Path(tempfile.mkdtemp(prefix="loadtest-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "emulation_portal.settings.loadtest",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RUSH_PLAN": str(plan_path),
        }
        self.host = f"http://127.0.0.1:{options['port']}"
        self.locust_command = shlex.split(str(options["locust"]))
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.env,
            check=True,
        )
        servers = [self.start_worker(), self.start_gunicorn(options["gunicorn_workers"])]  # type: ignore[arg-type]
        try:
            self.wait_healthy()
            ramp = self.ramp(
                [int(n) for n in str(options["ramp"]).split(",") if n],
                options["step_seconds"],  # type: ignore[arg-type]
            )
            rows, acked = self.rush(plan, options["heads"], options["duration"])  # type: ignore[arg-type]
            run = self.wait_for_run(plan["previous"])
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=60)
        lost = self.lost_saves(acked)
        self.report(rows, ramp, options["heads"], lost, len(acked), run)  # type: ignore[arg-type]
        failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated")
        refuse_unless_sound(lost, failures, run)

    def check_only(self, plan_path: Path, acked_path: Path) -> None:
        """After a rush against a real deployment, on its database: 0 lost, the run succeeded."""
        plan = json.loads(plan_path.read_text())
        acked = json.loads(acked_path.read_text())
        lost = self.lost_saves(acked)
        run = ScoringRun.objects.filter(campaign__code=plan["previous"]).order_by("-pk").first()
        self.stdout.write(f"lost_saves: {lost} (of the acknowledged saves of {len(acked)} units)")
        self.stdout.write(f"scoring_run: {run_outcome(run)}")
        self.stdout.write(f"run_succeeded: {'yes' if succeeded(run) else 'NO'}")
        refuse_unless_sound(lost, 0, run)

    # Servers --------------------------------------------------------------------------------

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.work / "worker.log").open("wb")
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "emulation_portal",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "2",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_gunicorn(self, workers: int) -> subprocess.Popen[bytes]:
        log = (self.work / "gunicorn.log").open("wb")
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "emulation_portal.wsgi",
                "--bind",
                self.host.removeprefix("http://"),
                "--workers",
                str(workers),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self) -> None:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{self.host}/healthz/", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"gunicorn did not answer; see {self.work / 'gunicorn.log'}")

    def locust(
        self, name: str, users: int, seconds: int, classes: list[str], **env: str
    ) -> list[dict[str, str]]:
        prefix = self.work / name
        subprocess.run(  # noqa: S603
            [
                *self.locust_command,
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                self.host,
                "-u",
                str(users),
                "-r",
                str(max(5, users // 5)),
                "-t",
                f"{seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "30",
                *classes,
            ],
            env={**self.env, **env},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(self.work / f"{name}.log").open("wb"),
        )
        return percentiles(Path(f"{prefix}_stats.csv"))

    # Phases ---------------------------------------------------------------------------------

    def ramp(self, steps: list[int], seconds: int) -> list[tuple[int, int, int, int]]:
        """(users, requests, failures, p95 ms) per step, heads saving drafts, until p95 > 1 s."""
        found = []
        for users in steps:
            rows = self.locust(f"ramp-{users}", users, seconds, ["Head"], RUSH_SUBMIT="0")
            total = next(r for r in rows if r["Name"] == "Aggregated")
            p95 = int(float(total["95%"]))
            found.append((users, int(total["Request Count"]), int(total["Failure Count"]), p95))
            self.stdout.write(f"  ramp: {users:4} users  p95 {p95:6} ms")
            if p95 > CEILING_MS:
                break
        return found

    def rush(self, plan: dict, heads: int, seconds: int) -> tuple[list[dict[str, str]], dict]:  # type: ignore[type-arg]
        acked_path = self.work / "acked.json"
        users = heads + len(plan["reviewers"]) + 1
        rows = self.locust(
            "rush",
            users,
            seconds,
            ["Head", "Reviewer", "Manager"],
            RUSH_SUBMIT="1",
            RUSH_RUN_AT=str(seconds // 2),
            RUSH_ACKED=str(acked_path),
        )
        return rows, json.loads(acked_path.read_text()) if acked_path.exists() else {}

    def wait_for_run(self, code: str) -> ScoringRun | None:
        for _ in range(240):
            run = ScoringRun.objects.filter(campaign__code=code).order_by("-pk").first()
            if run is not None and run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
                return run
            time.sleep(0.5)
        return ScoringRun.objects.filter(campaign__code=code).order_by("-pk").first()

    # Checks and report ----------------------------------------------------------------------

    def lost_saves(self, acked: dict[str, dict[str, str]]) -> int:
        """Scores of acknowledged saves that the database does not hold."""
        stored = {
            (str(e), f"score_{c}"): s
            for e, c, s in AssessmentItem.objects.filter(
                assessment__enrolment_id__in=[int(e) for e in acked]
            ).values_list("assessment__enrolment_id", "criterion_id", "self_score")
        }
        lost = 0
        for enrolment, values in acked.items():
            for field, value in values.items():
                want = Decimal(value) if value else None
                have = stored.get((enrolment, field))
                if (want is None) != (have is None) or (want is not None and want != have):
                    lost += 1
        return lost

    def report(
        self,
        rows: list[dict[str, str]],
        ramp: list[tuple[int, int, int, int]],
        heads: int,
        lost: int,
        saved_units: int,
        run: ScoringRun | None,
    ) -> None:
        out = self.stdout.write
        out(
            f"\nrush: {heads} heads + reviewers + 1 manager (gunicorn 4 sync workers, "
            "PostgreSQL, Redis, 1 Celery worker; Locust on the same machine)"
        )
        out(
            f"{'page or action':28} {'requests':>8} {'failures':>8} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'p99 ms':>7}"
        )
        for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
            out(
                f"{row['Name'][:28]:28} {row['Request Count']:>8} {row['Failure Count']:>8} "
                f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
            )
        total = next((r for r in rows if r["Name"] == "Aggregated"), None)
        if total is not None:
            out(f"requests_per_second: {float(total['Requests/s']):.1f}")
            worst = max(
                (
                    int(float(r["95%"]))
                    for r in rows
                    if r["Name"] not in ("Aggregated", "login", "login page", "start scoring run")
                ),
                default=0,
            )
            out(f"worst_p95_ms (pages and saves): {worst} (goal <= {GOAL_MS})")
        failed = self.work / "rush_failures.csv"
        for row in percentiles(failed)[:10] if failed.exists() else []:
            out(f"  failed: {row['Name']}: {row['Error'][:150]} (x{row['Occurrences']})")
        out(f"lost_saves: {lost} (of the acknowledged saves of {saved_units} units)")
        out(f"scoring_run: {run_outcome(run)}")
        out(f"run_succeeded: {'yes' if succeeded(run) else 'NO'}")
        passed = next((users for users, _r, _f, p95 in ramp if p95 > CEILING_MS), None)
        if passed is None:
            top = ramp[-1][0] if ramp else 0
            out(f"p95_passes_1s_at_users: not reached (p95 <= 1 s up to {top} users)")
        else:
            out(f"p95_passes_1s_at_users: {passed}")
        out(f"logs: {self.work}")
