from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo units and campaigns, and the accounts manager, unithead, council."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_demo refuses to run under production settings.")
        counts = seed_demo()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        self.stdout.write(f"Demo accounts: manager, unithead, council (password: {DEMO_PASSWORD})")
