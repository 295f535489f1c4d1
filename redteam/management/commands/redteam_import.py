from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from redteam.services.suites import suite_import


class Command(BaseCommand):
    help = "Import a red-team suite from a JSONL or CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--as-user")

    def handle(self, *args, **options):
        path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        with command_errors(path.name):
            try:
                suite = suite_import(
                    actor=actor_from(options["as_user"]), name=options["name"] or path.stem,
                    data=path, filename=path.name, description=options["description"],
                )  # fmt: skip
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        self.stdout.write(f"Suite {suite.pk} ({suite.name}): {suite.cases.count()} cases.")
