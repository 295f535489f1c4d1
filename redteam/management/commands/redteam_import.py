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

    def handle(self, *args, **o):
        if not o["path"].is_file():
            raise CommandError(f"No file {o['path']}.")
        with command_errors(o["path"].name):
            try:
                suite = suite_import(
                    actor=actor_from(o["as_user"]), name=o["name"] or o["path"].stem,
                    data=o["path"], filename=o["path"].name, description=o["description"],
                )  # fmt: skip
            except OSError as error:
                raise CommandError(f"Cannot read {o['path']}: {error.strerror}") from None
        self.stdout.write(f"Suite {suite.pk} ({suite.name}): {suite.cases.count()} cases.")
