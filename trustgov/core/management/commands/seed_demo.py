"""Load the demo data from the public council papers. Idempotent: a rerun changes nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: organisations and users first, then each domain app's demo module.
DEMO_MODULES = [
    "trustgov.organisations.demo",
    "trustgov.accounts.demo",
    "contracts.demo",
    "boards.demo",
    "performance.demo",
    "meetings.demo",
    "reports.demo",
]


class Command(BaseCommand):
    help = "Load demo councils, trusts, directions, contracts, boards, returns and meetings, with a user per role."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue  # that app has no demo data yet
                self.stdout.write(f"Seeding {name} …")
                result = module.seed()
                if name == "trustgov.accounts.demo":
                    logins = result
        from trustgov.accounts.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"Every demo user has the password: {DEMO_PASSWORD}")
        width = max(len(u) for u, _, _ in logins)
        for username, role, org in logins:
            self.stdout.write(f"  {username:<{width}}  {role:<16}  {org}")
