"""Load the demo data from the public council papers. Idempotent: a rerun changes nothing.

Each app registers its demo module from its AppConfig.ready() (``trustgov.core.demo.register_demo``),
with an order: organisations and users first, then each domain app, then the consumers. A module's
optional ``summary(result)`` gives lines printed once everything is loaded (the demo logins).
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from trustgov.core.demo import demo_modules


class Command(BaseCommand):
    help = "Load demo councils, trusts, directions, contracts, boards, returns and meetings, with a user per role."

    def handle(self, *args, **options):
        summary: list[str] = []
        with transaction.atomic():
            for name in demo_modules():
                module = importlib.import_module(name)
                self.stdout.write(f"Seeding {name} …")
                result = module.seed()
                if hasattr(module, "summary"):
                    summary += module.summary(result)

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/accounts/login/"))
        for line in summary:
            self.stdout.write(line)
