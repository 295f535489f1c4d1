from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from ingest.formats.reading import FORMATS
from ingest.formats.rows import KINDS
from ingest.selectors import judge_get, source_get, version_for_import
from ingest.services.imports import labels_import


class Command(BaseCommand):
    help = (
        "Import AI labels made elsewhere (JSONL, CSV or Parquet; gzip allowed) from a source: "
        "all or nothing, every bad row named."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source", required=True, help="The label source's key.")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--judge", help="Judge of rows that name none (default: the source's).")
        parser.add_argument("--constitution", default="", help="Needed when several exist.")
        parser.add_argument(
            "--constitution-version",
            type=int,
            dest="version",
            metavar="N",
            help="Version number for rows that name none (default: the latest published; "
            "Django's own --version is taken).",
        )
        parser.add_argument("--principle", default="", help="Principle code for rows naming none.")
        parser.add_argument(
            "--map", action="append", default=[], metavar="OLD=NEW",
            help="Map a principle code (OLD-7=HARM-02) or a version (v1=2); repeatable.",
        )  # fmt: skip
        parser.add_argument("--format", choices=FORMATS, help="Default: from the name.")
        parser.add_argument("--as-user", help="Act as this user (checks their permissions).")

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"Cannot read {path}: no such file")
        with command_errors(path):
            try:
                result = labels_import(
                    actor=actor_from(options["as_user"]),
                    source=source_get(key=options["source"]),
                    kind=options["kind"],
                    data=Path(path),
                    filename=Path(path).name,
                    fmt=options["format"],
                    version=version_for_import(
                        constitution=options["constitution"], number=options["version"]
                    ),
                    judge=judge_get(name=options["judge"]),
                    principle=options["principle"],
                    mappings=options["map"],
                )
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        runs = ", ".join(str(run.pk) for run in result.runs)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.count} {options['kind']} labels into item set "
                f"{result.item_set.pk} (runs {runs})."
            )
        )
