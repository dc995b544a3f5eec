"""System checks of the settings common.crypto needs."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_field_encryption_keys(app_configs, **kwargs):
    from cryptography.fernet import Fernet

    keys = [key.strip() for key in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if key.strip()]
    errors = []
    if not keys:
        errors.append(Error("FIELD_ENCRYPTION_KEYS is empty.", id="common.E001"))
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(Error("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.", id="common.E002"))
    if settings.DEMO_FIELD_ENCRYPTION_KEY in keys:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS uses the public demo key.",
                hint="Generate a key of your own (see .env.example).",
                id="common.E003",
            )
        )
    return errors
