from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.exchange import ImportSummary, campaign_import


class Command(BaseCommand):
    help = "Create or update a campaign from an .xlsx workbook (all or nothing)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="the .xlsx workbook (see the template in the portal)")
        parser.add_argument(
            "--authority", metavar="UNIT_CODE", help="code of the launching authority unit"
        )

    def handle(self, *args: object, file: str, authority: str | None, **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            # The command is the system's door (run by whoever runs manage.py): no actor.
            summary = campaign_import(workbook_file=path, actor=None, authority_code=authority)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_message(error)) from None
        self.stdout.write(self.describe(summary))

    def describe(self, summary: ImportSummary) -> str:
        return (
            f"Imported campaign {summary.campaign.code}: {summary.units} units, "
            f"{summary.criteria} criteria, {summary.assessments} assessments, "
            f"{summary.review_scores} review scores "
            f"({sum(summary.created.values())} rows created, "
            f"{sum(summary.updated.values())} updated, "
            f"{sum(summary.deleted.values())} deleted)"
        )


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
