from django.core.management.base import BaseCommand

from cai_audit.commands import actor_from, command_errors
from ingest.services.accounts import service_account_create


class Command(BaseCommand):
    help = (
        "Service accounts for the streaming API: `create NAME` makes a user in the "
        "ingestion_service role (it may only send labels) and prints its API token."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account and print its token.")
        create.add_argument("name")
        create.add_argument("--as-user", help="Act as this user (checks their permissions).")

    def handle(self, *args, action, name, as_user=None, **options):
        with command_errors():
            user, token = service_account_create(actor=actor_from(as_user), name=name)
        self.stdout.write(f"Created service account {user.get_username()}; its API token:")
        self.stdout.write(token.key)
