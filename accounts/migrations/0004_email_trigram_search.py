from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from common.trigram import trigram_index


class Migration(migrations.Migration):
    """The staff search finds an applicant by part of their email, on PostgreSQL from a trigram index."""

    dependencies = [("accounts", "0003_encrypt_authenticator_secrets")]

    operations = [TrigramExtension(), trigram_index("accounts_user", "email")]
