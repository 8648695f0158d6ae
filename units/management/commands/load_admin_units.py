import time

from django.core.management.base import BaseCommand

from units.services import admin_units_load


class Command(BaseCommand):
    help = (
        "Load Việt Nam's official provinces and communes (2025 structure) and the 2025 mergers "
        "of the demo's area; safe to repeat."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        summary = admin_units_load()
        districts = f"districts: {summary.districts}, " if summary.districts else ""
        self.stdout.write(
            f"provinces: {summary.provinces}, {districts}communes: {summary.communes}, "
            f"created: {summary.created}, updated: {summary.updated}, "
            f"unchanged: {summary.unchanged} ({time.perf_counter() - started:.1f} s)"
        )
        if summary.history_units or summary.history_links:
            self.stdout.write(
                f"2025 reform: {summary.history_units} former units, "
                f"{summary.history_links} links recorded"
            )
