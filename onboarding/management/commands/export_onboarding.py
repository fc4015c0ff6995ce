from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onboarding.export import export_bytes, template_bytes
from trustgov.organisations.models import Council


class Command(BaseCommand):
    help = "Write a council's whole set-up as an onboarding workbook (or, with --template, the empty template)."

    def add_arguments(self, parser):
        parser.add_argument("council", nargs="?", help="The council's short name (slug).")
        parser.add_argument("file", help="Where to write the .xlsx workbook.")
        parser.add_argument("--template", action="store_true", help="Write the empty template instead.")

    def handle(self, *args, **options):
        if options["template"]:
            data = template_bytes()
        else:
            council = Council.objects.filter(slug=options["council"] or "").first()
            if council is None:
                raise CommandError(f"No council with the short name '{options['council']}'")
            data = export_bytes(council)
        Path(options["file"]).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['file']}"))
