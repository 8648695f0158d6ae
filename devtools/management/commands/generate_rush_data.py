import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from devtools import rush


class Command(BaseCommand):
    help = "Create the deadline rush of `make loadtest` (on a fresh database) and write its plan."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", default="RUSH")
        parser.add_argument("--units", type=int, default=300)
        parser.add_argument("--criteria", type=int, default=30)
        parser.add_argument("--reviewers", type=int, default=20)
        parser.add_argument("--password", default="thu-tai-cao-diem")
        parser.add_argument("--plan", type=Path, required=True, help="where to write the plan")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("generate_rush_data refuses to run under production settings.")
        code = str(options["code"])
        if Campaign.objects.filter(code__in=[code, f"{code}PREV"]).exists():
            raise CommandError(f"{code} exists already: the rush is built on a fresh database.")
        started = time.perf_counter()
        plan = rush.generate(
            code=code,
            units=options["units"],  # type: ignore[arg-type]
            criteria=options["criteria"],  # type: ignore[arg-type]
            reviewers=options["reviewers"],  # type: ignore[arg-type]
            password=str(options["password"]),
        )
        Path(options["plan"]).write_text(json.dumps(rush.as_json(plan)))  # type: ignore[arg-type]
        self.stdout.write(
            f"rush {code}: {len(plan.heads)} units and heads, {len(plan.criteria)} criteria, "
            f"{len(plan.reviewers)} reviewers; previous round {plan.previous} "
            f"({time.perf_counter() - started:.1f} s)"
        )
        if plan.totp_keys:
            self.stdout.write(
                "two-factor on (as production asks of them) for "
                f"{', '.join(sorted(plan.totp_keys))}: their authenticators' secrets are in the "
                "plan (totp_keys), from which the load test types the current code"
            )
