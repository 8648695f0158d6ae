from django.core.management.base import BaseCommand

from votes.selectors import catalogue_csv


class Command(BaseCommand):
    help = (
        "Export the award catalogue as CSV: one row per award, recipient kind and period, with "
        "its level, multiple, rule, threshold and sources (the columns of DOMAIN.md)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args: object, output: str | None, **options: object) -> None:
        text = catalogue_csv()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as target:
                target.write(text)
            self.stderr.write(f"Wrote {text.count(chr(10)) - 1} rows to {output}")
        else:
            self.stdout.write(text, ending="")
