"""Encryption at rest of sensitive answers, and keyed blind indexes for the one of them that is filtered on.

**Keys** come from the environment: `FIELD_ENCRYPTION_KEYS`, a comma-separated list of Fernet keys
(`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`), newest
first. Values are written with the newest key and read with any key of the list (MultiFernet), so a new
key is put in front, the processes restarted, and `manage.py rotate_encryption_keys` re-encrypts every
row with it; then the old key can leave the list. Losing every key loses the data: keep them in the
secrets store the deployment uses, apart from the database backups (docs/backups.md).

**Fernet** (AES-128-CBC with HMAC-SHA256, a random IV per value, a timestamp) from `cryptography`, used
directly rather than through a Django package: the whole mechanism is this module and common/fields.py,
the key list is the project's own (not derived from SECRET_KEY, which rotates for other reasons), and
rotation is a MultiFernet call. A ciphertext reveals a value's length roughly, nothing else.

**Blind index**: HMAC-SHA256 of a purpose and a value under a key derived (HKDF) from each encryption key.
The same value gives the same index, so the database can find "every application in priority group X"
without holding X in clear; someone who reads the database sees which rows share a value, not the value.
Lookups try the indexes of every key, so filtering keeps working while a rotation is under way.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(ImproperlyConfigured):
    """A stored value none of the configured keys opens: a key is missing from FIELD_ENCRYPTION_KEYS."""


def _keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: sensitive fields cannot be encrypted.")
    return keys


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        fernets = [Fernet(key.encode()) for key in keys]
    except ValueError as error:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.") from error
    return MultiFernet(fernets), fernets[0]


@lru_cache(maxsize=8)
def _index_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    def derive(key: str) -> bytes:
        raw = base64.urlsafe_b64decode(key.encode())
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"onepluone blind index").derive(raw)

    return tuple(derive(key) for key in keys)


def encrypt(text: str) -> str:
    return _fernets(_keys())[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernets(_keys())[0].decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "A sensitive value cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS (a key is missing)."
        ) from error


def is_current(token: str) -> bool:
    """Whether the newest key opens this value (a rotation leaves such values alone)."""
    try:
        _fernets(_keys())[1].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The same value encrypted with the newest key."""
    try:
        return _fernets(_keys())[0].rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("A value cannot be rotated: no key in FIELD_ENCRYPTION_KEYS opens it.") from error


def _index(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def blind_index(purpose: str, value: str) -> str:
    """The index to store for `value`, under the newest key."""
    return _index(_index_keys(_keys())[0], purpose, value)


def blind_indexes(purpose: str, value: str) -> list[str]:
    """Every index `value` may be stored under (one per key): what a lookup compares with."""
    return [_index(key, purpose, value) for key in _index_keys(_keys())]
