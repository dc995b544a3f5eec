"""Turning pending letters into stored files; what the letter tasks call, and nothing else does.

Rendering (compose/ for award letters, documents.py for the rest) only turns a letter's copied figures
into bytes. Storing takes the letter's row lock, writes the file once with its SHA-256, marks it ready
and, for the first award letter, moves the application to awarded: running twice (a retry, a resumed
batch) never makes a second file. Failed attempts are counted; after the last the letter shows as failed."""

import hashlib
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import application_move
from grants.enums import LetterKind, LetterStatus
from grants.models import LETTERS_FOLDER, Letter

from .compose import render_letters
from .documents import LetterFigures

S = ApplicationStatus


# A letter is tried this many times (the first run and the retries) before it shows as failed.
LETTER_ATTEMPTS = 4


def letters_render(letter_ids: list[int]) -> list[int]:
    """Render and store the pending letters among `letter_ids` together; returns the ids stored, whose
    emails the caller queues (tasks.py).

    Rendering happens outside any transaction; storing takes each letter's row lock and skips a letter
    another run stored meanwhile, so running twice (a retry, a resumed batch) never makes a second file.
    """
    letters = list(Letter.objects.filter(pk__in=letter_ids, status=LetterStatus.PENDING).order_by("pk"))
    if not letters:
        return []
    contents = render_letters([LetterFigures.from_json(letter.figures) for letter in letters])
    return [letter.pk for letter, content in zip(letters, contents, strict=True) if letter_store(letter, content)]


def letter_store(letter: Letter, content: bytes) -> bool:
    stored = ""
    try:
        with transaction.atomic():
            locked = Letter.objects.select_for_update().get(pk=letter.pk)
            if locked.status != LetterStatus.PENDING:
                return False
            locked.file.save(locked.filename(), ContentFile(content), save=False)
            stored = locked.file.name
            locked.sha256 = hashlib.sha256(content).hexdigest()
            locked.status = LetterStatus.READY
            locked.rendered_at = timezone.now()
            locked.error = ""
            locked.save(update_fields=["file", "sha256", "status", "rendered_at", "error"])
            if locked.kind == LetterKind.AWARD:
                _award(locked)
    except BaseException:
        if stored:  # the row does not point at it: no file without its row
            letter.file.storage.delete(stored)
        raise
    return True


def _award(letter: Letter) -> None:
    """The first award letter issued makes an approved application awarded, in the approver's name."""
    application = Application.objects.select_for_update().get(pk=letter.application_id)
    if application.status == S.APPROVED:
        grant = letter.grant
        application_move(
            application,
            S.AWARDED,
            actor=grant.approved_by,
            note=_("Award letter %(number)s issued.") % {"number": grant.agreement_number},
        )


# A file younger than this may belong to a letter whose row is still being committed.
ORPHAN_GRACE = timedelta(hours=1)


def letters_sweep(*, now: datetime | None = None) -> list[str]:
    """Delete letter files that no letter row points to, older than ORPHAN_GRACE; returns their names.

    Storing a letter writes its file, then commits its row; a worker killed in between leaves a file
    nobody can reach (the row stays pending, and the letter is rendered again under another name).
    """
    field = Letter._meta.get_field("file")
    storage = field.storage
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    referenced = set(Letter.objects.exclude(file="").values_list("file", flat=True))
    removed = []
    try:
        folders, _ = storage.listdir(LETTERS_FOLDER)
    except FileNotFoundError:  # nothing stored yet
        return removed
    for folder in folders:
        _, names = storage.listdir(f"{LETTERS_FOLDER}/{folder}")
        for name in names:
            path = f"{LETTERS_FOLDER}/{folder}/{name}"
            if path not in referenced and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed.append(path)
    return removed


def letter_failed(*, letter_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last one the letter shows as failed, with the error, to staff."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id, status=LetterStatus.PENDING).first()
        if letter is None:
            return
        letter.attempts += 1
        letter.error = error[:2000]
        fields = ["attempts", "error"]
        if final:
            letter.status = LetterStatus.FAILED
            fields.append("status")
        letter.save(update_fields=fields)
