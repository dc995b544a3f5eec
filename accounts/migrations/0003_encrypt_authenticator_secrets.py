"""Authenticator secrets (TOTP keys, recovery-code seeds) stored before encryption are encrypted in place
(accounts.mfa.secret_encrypt; the adapter reads both until then). Going back decrypts them."""

from django.db import migrations

PREFIX = "fernet:"
KEYS = ("secret", "seed")
TYPES = ("totp", "recovery_codes")


def _change(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=TYPES).iterator():
        data = dict(authenticator.data)
        for key in KEYS:
            if isinstance(data.get(key), str):
                data[key] = change(data[key])
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt(apps, schema_editor):
    from common import crypto

    _change(apps, lambda value: value if value.startswith(PREFIX) else PREFIX + crypto.encrypt(value))


def decrypt(apps, schema_editor):
    from common import crypto

    _change(apps, lambda value: crypto.decrypt(value.removeprefix(PREFIX)) if value.startswith(PREFIX) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
