from django.core.management.base import BaseCommand

from cai_audit.demo import DEMO_LOGINS, demo_load


class Command(BaseCommand):
    help = "Load the demo users and data (safe to run again: existing demo data is kept)."

    def handle(self, *args, **options):
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.password:<16} {login.role}")
