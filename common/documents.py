"""What issued documents (award letters, handover acts) share: telling a real correction from a repeat,
and storing a rendered file once.

A correction of an issued document is a new version; a request that would issue a version stating exactly
what the latest one states (a double click, a retried form, a page reloaded after a POST) is a repeat, and
makes no new row and no new file.

A rendered file is stored under its row's lock, and only while the row still waits for it (`store_once`):
a retried or duplicated task never writes a second file, and a file whose row did not commit is deleted.
"""

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction


def states_the_same(stated: dict, new: dict, *, ignoring: frozenset[str]) -> bool:
    """True when two documents' figures (their stored JSON) differ only in the fields `ignoring` names:
    the version, the date, a verification code, what a new version changes by itself."""
    keys = (stated.keys() | new.keys()) - ignoring
    return all(stated.get(key) == new.get(key) for key in keys)


def store_once(model, pk: int, *, pending: str, content: bytes, finish: Callable[..., None]) -> bool:
    """Store `content` as the file of `model` row `pk` while its status is `pending`; False when another
    run stored it meanwhile. Under the row's lock the file is saved under the row's `filename()`, then
    `finish(locked_row, file_name, sha256)` records it (the row's move). If anything fails, the file goes:
    no file without its row."""
    stored = ""
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=pk)
            if locked.status != pending:
                return False
            locked.file.save(locked.filename(), ContentFile(content), save=False)
            stored = locked.file.name
            finish(locked, stored, hashlib.sha256(content).hexdigest())
    except BaseException:
        if stored:
            model._meta.get_field("file").storage.delete(stored)
        raise
    return True
