import time

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_totp_code


class Command(BaseCommand):
    help = "Print the current authenticator-app code of a demo account (make demo)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            code, valid_for = demo_totp_code(email, at=time.time())
        except LookupError:
            raise CommandError(
                f"{email} has no demo authenticator app (manage.py seed_demo enrols the demo staff)."
            ) from None
        self.stdout.write(f"{code}  (valid for {valid_for} more seconds)")
