import time

from django.core.management.base import BaseCommand

from units.services import admin_units_load


class Command(BaseCommand):
    help = "Load Việt Nam's official provinces and communes (2025 structure); safe to repeat."

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        summary = admin_units_load()
        districts = f"districts: {summary.districts}, " if summary.districts else ""
        self.stdout.write(
            f"provinces: {summary.provinces}, {districts}communes: {summary.communes}, "
            f"created: {summary.created}, updated: {summary.updated}, "
            f"unchanged: {summary.unchanged} ({time.perf_counter() - started:.1f} s)"
        )
