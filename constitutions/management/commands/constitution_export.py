from django.core.management.base import BaseCommand, CommandError

from constitutions.models import ConstitutionVersion
from constitutions.selectors import version_export_yaml


class Command(BaseCommand):
    help = "Write a constitution version as YAML (to stdout, or to --output)."

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int, help="Id of the version to export.")
        parser.add_argument("--output", "-o", help="File to write; stdout when left out.")

    def handle(self, *args, version_id, output=None, **options):
        try:
            version = ConstitutionVersion.objects.select_related("constitution").get(pk=version_id)
        except ConstitutionVersion.DoesNotExist:
            raise CommandError(f"No constitution version with id {version_id}.") from None
        text = version_export_yaml(version=version)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {version} to {output}")
        else:
            self.stdout.write(text, ending="")
