from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from labeling.services.items import item_set_import


class Command(BaseCommand):
    help = "Import prompts and responses (JSONL or CSV, optionally .gz) as a new item set."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--name", default="", help="Item set name (default: the file name).")
        parser.add_argument("--format", choices=["jsonl", "csv"], help="Default: from the name.")
        parser.add_argument("--as-user", help="Act as this user (checks their permissions).")

    def handle(self, *args, path, name, format=None, as_user=None, **options):
        # Read as a stream by the importer, within the CAI_IMPORT_* limits.
        if not Path(path).is_file():
            raise CommandError(f"Cannot read {path}: no such file")
        with command_errors(path):
            try:
                item_set = item_set_import(
                    actor=actor_from(as_user),
                    name=name,
                    data=Path(path),
                    filename=Path(path).name,
                    fmt=format,
                )
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {item_set.item_count} items as set {item_set.pk}.")
        )
