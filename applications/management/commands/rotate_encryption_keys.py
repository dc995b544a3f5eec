"""manage.py rotate_encryption_keys: re-encrypt every sensitive value with the newest key and rebuild
the blind indexes with it. Run after putting a new key first in FIELD_ENCRYPTION_KEYS (see .env.example);
safe to run again (a second run changes nothing) and to stop and restart (it works in batches)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from accounts.mfa import authenticator_secrets_rotate
from applications.models import Application
from applications.services import priority_index_write
from common.crypto import blind_index
from common.fields import encrypted_fields
from common.rotation import rotate_model


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS and rebuild blind indexes."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        for model in apps.get_models():
            if encrypted_fields(model):
                rows, values = rotate_model(model, batch_size=batch_size)
                self.stdout.write(f"{model._meta.label}: {values} values re-encrypted in {rows} rows.")
        reindexed = 0
        applications = Application.objects.only("pk", "priority_answers").prefetch_related("priority_index")
        for application in applications.iterator(chunk_size=batch_size):
            wanted = {blind_index("priority_group", code) for code in application.priority_answers or []}
            if wanted != {entry.token for entry in application.priority_index.all()}:
                priority_index_write(application)
                reindexed += 1
        self.stdout.write(f"Priority group indexes rebuilt for {reindexed} applications.")
        changed = authenticator_secrets_rotate()
        self.stdout.write(f"Authenticator secrets re-encrypted for {changed} authenticators.")
