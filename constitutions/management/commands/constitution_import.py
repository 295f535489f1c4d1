from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from cai_audit.errors import DomainError, ImportProblems
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
        try:
            content = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        actor = None
        if as_user:
            actor = get_user_model().objects.filter(username=as_user).first()
            if actor is None:
                raise CommandError(f"No user {as_user!r}.")
        target = None
        if constitution is not None:
            target = Constitution.objects.filter(pk=constitution).first()
            if target is None:
                raise CommandError(f"No constitution with id {constitution}.")
        try:
            draft = version_import_yaml(actor=actor, text=content, constitution=target)
        except ImportProblems as error:
            lines = "\n".join(f"  {path}: {problem}" for problem in error.problems)
            raise CommandError(f"{error.message}\n{lines}") from None
        except (DomainError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {draft} (id {draft.pk}) as a draft."))
