from django.core.management.base import BaseCommand, CommandError

from cai_audit.errors import ImportProblems
from config.demo import DEMO_LOGINS, demo_load
from labeling.demo_data import HHRLHFNotFound


class Command(BaseCommand):
    help = (
        "Load the demo users and data (safe to run again: existing demo data is kept). The real "
        "HH-RLHF pairs are added when CAI_HH_RLHF_PATH or ../shared/data holds them."
    )

    def handle(self, *args, **options):
        try:
            demo_load()  # one transaction: a refusal leaves nothing half-loaded
        except HHRLHFNotFound as error:
            raise CommandError(str(error)) from None
        except ImportProblems as error:
            raise CommandError("\n".join([error.message, *error.problems])) from None
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.password:<16} {login.role}")
