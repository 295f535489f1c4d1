import shutil
from pathlib import Path

from django.core.management.base import BaseCommand

from cai_audit.commands import actor_from, command_errors
from labeling.filters import LabelFilter
from training.models import DatasetSnapshot
from training.services.snapshots import FILES, snapshot_create, snapshot_path


def _codes(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class Command(BaseCommand):
    help = (
        "Export audited labels as an immutable dataset snapshot (data file, provenance, "
        "manifest and dataset card); prints its folder. --copy-to also copies the files out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--format", required=True, choices=DatasetSnapshot.Format.values)
        parser.add_argument(
            "--policy", default="gold_overrides", choices=DatasetSnapshot.Policy.values
        )
        parser.add_argument("--min-confidence", type=float, default=0.0)
        parser.add_argument("--label-kind", default="", choices=["", "preference", "critique"])
        parser.add_argument("--constitution-version", type=int)
        parser.add_argument("--principles", default="", help="Comma-separated codes.")
        parser.add_argument("--categories", default="")
        parser.add_argument("--locale", default="")
        parser.add_argument("--runs", default="", help="Comma-separated run ids.")
        parser.add_argument("--copy-to", help="A folder to copy the snapshot's files into.")
        parser.add_argument("--as-user")

    def handle(self, *args, **options):
        with command_errors():
            snapshot = snapshot_create(
                actor=actor_from(options["as_user"]), name=options["name"], fmt=options["format"],
                policy=options["policy"], min_confidence=options["min_confidence"],
                label_kind=options["label_kind"],
                where=LabelFilter(
                    constitution_version=options["constitution_version"],
                    principle_codes=_codes(options["principles"]),
                    categories=_codes(options["categories"]),
                    locales=(options["locale"],) if options["locale"] else (),
                    runs=tuple(int(run) for run in _codes(options["runs"])),
                ),
            )  # fmt: skip
        folder = snapshot_path(snapshot, "README.md").parent
        if options["copy_to"]:
            target = Path(options["copy_to"])
            target.mkdir(parents=True, exist_ok=True)
            for name in (snapshot.data_file, *FILES):
                shutil.copy2(folder / name, target / name)
            folder = target
        self.stdout.write(
            f"snapshot {snapshot.pk}: {snapshot.rows} rows, sha256 {snapshot.sha256}\n{folder}"
        )
