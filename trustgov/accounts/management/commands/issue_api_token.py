from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trustgov.accounts.models import ApiToken, User
from trustgov.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a new API token for a user and print it once. Only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Command-line token")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, default=None, help="Days until expiry (default from settings).")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called '{options['username']}'.")
        try:
            issued = api_token_issue(user=user, name=options["name"], scope=options["scope"], days=options["days"])
        except ValidationError as exc:
            raise CommandError("; ".join(m for errs in exc.message_dict.values() for m in errs)) from exc
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Token '{issued.token.name}' ({issued.token.scope}) expires {issued.token.expires_at:%d %B %Y}. "
            "It is shown only this once."
        )
