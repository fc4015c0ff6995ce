from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onboarding import services
from trustgov.accounts.models import User
from trustgov.organisations.models import Council


def council_and_user(slug: str, username: str | None):
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise CommandError(f"No council with the short name '{slug}'")
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'")
    else:
        user = next(
            (
                u
                for u in User.objects.filter(council=council, is_active=True).order_by("pk")
                if services.may_onboard(u, council)
            ),
            None,
        )
        if user is None:
            raise CommandError(f"{council} has no active administrator: run bootstrap_council, or give --user")
    if not services.may_onboard(user, council):
        raise CommandError(f"{user.username} is not an administrator of {council}")
    return council, user


class Command(BaseCommand):
    help = (
        "Import an onboarding workbook for a council: every error is listed with its sheet and cell, and "
        "nothing is saved unless the whole file is valid. --dry-run shows what would be created or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("council", help="The council's short name (slug).")
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--dry-run", action="store_true", help="Check and show the plan; save nothing.")
        parser.add_argument("--user", help="Import as this administrator (default: the council's first).")

    def handle(self, *args, **options):
        council, user = council_and_user(options["council"], options.get("user"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}")
        call = services.preview if options["dry_run"] else services.run_import
        result = call(council=council, user=user, name=path.name, data=path.read_bytes())
        for line in result.plan.counts():
            self.stdout.write(
                f"{line['sheet']}: {line['create']} to create, {line['change']} to change, "
                f"{line['unchanged']} unchanged"
            )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} error(s): nothing was saved")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        elif result.plan.nothing_to_do:
            self.stdout.write(self.style.SUCCESS("Nothing to change: the file matches what TrustGov holds."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name} for {council}."))
