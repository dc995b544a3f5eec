"""Model fields whose values are stored encrypted (common.crypto): the database holds only Fernet tokens.

    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)

Each behaves as its plain counterpart in Python and in forms (the same form field, widget, validators
and max_length), and stores a `text` column. An empty text stays empty and a missing date stays NULL,
so "not answered yet" is visible to the database, the answer is not. Such a field cannot be filtered,
ordered or searched on in SQL (only `__isnull`): a value that must be found has a blind index beside it
(common.crypto.blind_index), one that reports group by has a non-identifying derivative stored in
clear (the birth year beside the date of birth). `manage.py rotate_encryption_keys` re-encrypts them.
"""

import datetime
import json

from django.core.exceptions import FieldError
from django.db import models

from . import crypto


class EncryptedMixin:
    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.to_python(value)
        return self.to_python(self.from_text(crypto.decrypt(value)))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_text(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: it cannot be filtered on in SQL.")

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: it cannot be transformed in SQL.")


class EncryptedCharField(EncryptedMixin, models.CharField):
    pass


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedDateField(EncryptedMixin, models.DateField):
    def to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def get_prep_value(self, value):
        return self.to_python(value)


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    """A JSON value (a list of codes, say), encrypted as one text."""

    def to_text(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def from_text(self, text: str):
        return json.loads(text)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_text(crypto.decrypt(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return crypto.encrypt(self.to_text(value))

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)


def encrypted_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]
