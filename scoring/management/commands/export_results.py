from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from scoring.exports import csv_lines, xlsx_write
from scoring.models import RunStatus
from scoring.selectors import run_to_show
from scoring.services import scoring_run_start


class Command(BaseCommand):
    help = "Export a campaign's results (the published run, else the latest) as CSV or .xlsx."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="file to write (default: standard output, CSV only)")

    def handle(
        self,
        *args: object,
        code: str,
        format: str,
        output: str | None,  # noqa: A002
        **options: object,
    ) -> None:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"No campaign with code {code!r}.")
        run = run_to_show(campaign) or self.score(campaign)
        if format == "xlsx":
            if not output:
                raise CommandError("--output is required for --format xlsx.")
            xlsx_write(run, output)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as target:
                target.writelines(csv_lines(run))
        else:
            for line in csv_lines(run):
                self.stdout.write(line, ending="")
        if output:
            self.stderr.write(f"Wrote {run.results.count()} rows to {output}")

    def score(self, campaign: Campaign):  # type: ignore[no-untyped-def]
        """No finished run yet: score now (results are derived from what is saved)."""
        try:
            run = scoring_run_start(actor=None, campaign=campaign)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run.refresh_from_db()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(
                f"Campaign {campaign.code} has no finished scoring run yet (run #{run.pk} is "
                f"{run.status}); run `manage.py score_campaign {campaign.code}` first."
            )
        self.stderr.write(f"Scored campaign {campaign.code} (run #{run.pk}) before exporting.")
        return run
