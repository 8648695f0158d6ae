import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.loadgen import generate


class Command(BaseCommand):
    help = "Create a load-test campaign (default: 10,000 units, 400 blocks, 60 criteria)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", default="BENCH")
        parser.add_argument("--units", type=int, default=10_000)
        parser.add_argument("--blocks", type=int, default=400)
        parser.add_argument("--criteria", type=int, default=60)
        parser.add_argument("--reviewers", type=int, default=2)

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("generate_load_data refuses to run under production settings.")
        started = time.perf_counter()
        campaign = generate(
            code=options["code"],
            units=options["units"],  # type: ignore[arg-type]
            blocks=options["blocks"],
            criteria=options["criteria"],
            reviewers=options["reviewers"],
        )
        self.stdout.write(
            f"campaign {campaign.code}: {options['units']} units, {options['blocks']} blocks, "
            f"{options['criteria']} criteria, {options['reviewers']} reviewers per unit "
            f"({time.perf_counter() - started:.1f} s)"
        )
