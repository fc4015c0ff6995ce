import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trustgov.accounts.roles import Role
from trustgov.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user in one of the four roles. The password is read from standard input."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.slug for r in Role])
        parser.add_argument("--organisation", help="Slug of the council or trust the user belongs to.")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        if not options["password_stdin"]:
            raise CommandError(
                "Give --password-stdin and pipe the password in; passwords are never taken as arguments."
            )
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("No password was given on standard input.")
        try:
            user = user_create(
                username=options["username"],
                role=Role.from_slug(options["role"]),
                email=options["email"],
                password=password,
                organisation_slug=options["organisation"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            messages = [f"{field}: {m}" for field, errs in exc.message_dict.items() for m in errs]
            raise CommandError("; ".join(messages)) from exc
        org = user.organisation_name or "no organisation"
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({options['role']}, {org})."))
