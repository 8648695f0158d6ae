from django.core.management.base import BaseCommand, CommandError

from units.models import Unit
from votes.selectors import catalogue_csv, provinces


class Command(BaseCommand):
    help = (
        "Export the award catalogue as CSV: one row per award, recipient kind and period, with "
        "its level, multiple, rule, threshold and sources (the columns of DOMAIN.md)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--province",
            help="a province's unit code: the catalogue with that province's own ratios",
        )

    def handle(
        self, *args: object, output: str | None, province: str | None = None, **options: object
    ) -> None:
        text = catalogue_csv(self.province(province) if province else None)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as target:
                target.write(text)
            self.stderr.write(f"Wrote {text.count(chr(10)) - 1} rows to {output}")
        else:
            self.stdout.write(text, ending="")

    def province(self, code: str) -> Unit:
        found = provinces().filter(code=code).first()
        if found is None:
            raise CommandError(f"No province with code {code!r}")
        return found
