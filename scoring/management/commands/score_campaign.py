import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.services import criterion_scores_repair
from assessments.tallies import criterion_scores_drift
from campaigns.models import Campaign
from scoring import engine
from scoring.models import RunStatus, ScoringRun
from scoring.services import scoring_run_publish, scoring_run_start


class Command(BaseCommand):
    help = "Score a campaign, wait for the run to finish and print a summary."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        parser.add_argument("--publish", action="store_true", help="publish the results")
        parser.add_argument(
            "--publish-unreviewed",
            action="store_true",
            help="publish even though some submitted assessments are not accepted yet",
        )
        parser.add_argument("--timeout", type=int, default=600, help="seconds to wait")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="with --audit: recompute the stored per-criterion scores that differ (recorded "
            "in the campaign's history)",
        )
        parser.add_argument(
            "--audit",
            action="store_true",
            help="start no run: check the per-criterion scores a run reads against a full "
            "recomputation from the score tables, and print the checksum of the inputs",
        )

    def handle(
        self,
        *args: object,
        code: str,
        publish: bool,
        publish_unreviewed: bool,
        timeout: int,
        audit: bool,
        repair: bool,
        **options: object,
    ) -> None:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"No campaign with code {code!r}.")
        if audit:
            self.audit(campaign, repair=repair)
            return
        try:
            run = scoring_run_start(actor=None, campaign=campaign)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run = self.wait(run, timeout)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Scoring run #{run.pk} {run.status}: {run.error}")
        if publish:
            try:
                scoring_run_publish(actor=None, run=run, publish_unreviewed=publish_unreviewed)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.summary(run, publish))

    def audit(self, campaign: Campaign, *, repair: bool) -> None:
        """A write around the services shows here: the stored scores drift from the tables."""
        checksum = engine.inputs_checksum(engine.inputs_for(campaign))
        self.stdout.write(
            f"Campaign {campaign.code}: scores version {campaign.scores_version}; inputs "
            + ", ".join(f"{name} {value}" for name, value in checksum.items())
        )
        if repair:
            repaired = criterion_scores_repair(actor=None, campaign=campaign)
            self.stdout.write(f"Per-criterion scores: {repaired} recomputed from the score tables.")
        drift = criterion_scores_drift(campaign.pk)
        if drift:
            raise CommandError(
                f"{drift} stored per-criterion scores differ from the score tables: a write "
                "went around the services. Runs would read the stored scores; "
                "`--audit --repair` recomputes them."
            )
        self.stdout.write("Per-criterion scores: equal to a full recomputation.")

    def wait(self, run: ScoringRun, timeout: int) -> ScoringRun:
        deadline = time.monotonic() + timeout
        while True:
            run.refresh_from_db()
            if not run.is_active or time.monotonic() > deadline:
                return run
            time.sleep(0.5)

    def summary(self, run: ScoringRun, published: bool) -> str:
        results = run.results.all()
        counts = {
            c: results.filter(classification=c).count()
            for c in ["excellent", "good", "pass", "fail", "not_assessed"]
        }
        seconds = (run.finished_at - run.started_at).total_seconds() if run.started_at else 0
        return (
            f"Scoring run #{run.pk} for {run.campaign.code}: {results.count()} units, "
            + ", ".join(f"{name} {n}" for name, n in counts.items())
            + f", exemplary {results.filter(exemplary=True).count()}"
            + f"; {seconds:.2f} s"
            + ("; published" if published else "")
        )
