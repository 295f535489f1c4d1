from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cai_audit.commands import actor_from, command_errors
from constitutions.models import Constitution
from constitutions.services import version_import_yaml


class Command(BaseCommand):
    help = (
        "Import a YAML file as a new draft version. All or nothing: every problem is listed and "
        "nothing is written if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="YAML file (as written by constitution_export).")
        parser.add_argument("--constitution", type=int, help="Import into this constitution id.")
        parser.add_argument("--as-user", help="Act as this user (checks their permissions).")

    def handle(self, *args, path, constitution=None, as_user=None, **options):
        if not Path(path).is_file():
            raise CommandError(f"Cannot read {path}: no such file")
        actor = actor_from(as_user)
        target = None
        if constitution is not None:
            target = Constitution.objects.filter(pk=constitution).first()
            if target is None:
                raise CommandError(f"No constitution with id {constitution}.")
        with command_errors(path):
            try:  # read within CAI_IMPORT_CONSTITUTION_MAX_BYTES, after gunzipping
                draft = version_import_yaml(actor=actor, text=Path(path), constitution=target)
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {draft} (id {draft.pk}) as a draft."))
