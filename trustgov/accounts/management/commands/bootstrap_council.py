from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trustgov.accounts.services import council_bootstrap


class Command(BaseCommand):
    help = (
        "Start TrustGov for a real council with no demo data: create the council and its first "
        "administrator (a council officer), and print the set-password link (also emailed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="e.g. 'Sandwell Metropolitan Borough Council'")
        parser.add_argument("--la-code", required=True, help="The DfE's three-digit LA number, e.g. 333.")
        parser.add_argument("--gss-code", required=True, help="The ONS area code, e.g. E08000028.")
        parser.add_argument("--admin-email", required=True, help="The first administrator's email (their username).")
        parser.add_argument("--slug", default="", help="Short name in addresses (default: from the name).")
        parser.add_argument(
            "--council-type", default="unitary", choices=["county", "metropolitan", "unitary", "london"]
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000",
            help="Where TrustGov is served, for the link (default: SITE_URL or http://127.0.0.1:8000).",
        )

    def handle(self, *args, **options):
        try:
            invitation = council_bootstrap(
                name=options["name"],
                la_code=options["la_code"],
                gss_code=options["gss_code"],
                admin_email=options["admin_email"],
                base_url=options["base_url"],
                slug=options["slug"],
                council_type=options["council_type"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            messages = [f"{field}: {m}" for field, errs in exc.message_dict.items() for m in errs]
            raise CommandError("; ".join(messages)) from exc
        user = invitation.user
        self.stdout.write(self.style.SUCCESS(f"Created {user.council.name} ({user.council.slug})."))
        self.stdout.write(f"First administrator: {user.username} (council officer, administrator).")
        self.stdout.write(f"Set-password link (works once, expires in {settings.INVITATION_TIMEOUT // 86400} days):")
        self.stdout.write(invitation.link)
