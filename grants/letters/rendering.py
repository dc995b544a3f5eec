"""Turning pending letters into stored files, and every move of a letter's status.

Rendering (compose/ for award letters, documents.py for the rest) only turns a letter's copied figures
into bytes. Storing takes the letter's row lock, writes the file once with its SHA-256, marks it ready
and, for the first award letter, moves the application to awarded: running twice (a retry, a resumed
batch) never makes a second file. Failed attempts are counted; after the last the letter shows as failed.

**Moves.** `letter_move` (one letter) and `letters_move` (a batch's letters, in a fixed number of queries)
are the only code that assigns `Letter.status` (the table is `grants.enums.LETTER_MOVES`); each move writes
a `LetterStatusChange`. They live here rather than in services.py because the letter tasks store and fail
letters through this module, and services.py imports the tasks: this module imports neither. A move the
tasks make has no actor (None, the table's SYSTEM) and the task's name as its note; staff queueing a
failed letter again (services.py) are the actor."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application
from applications.services import application_move
from common.documents import store_once
from common.moves import assign
from grants.enums import LETTER_MOVES, LetterKind, LetterStatus
from grants.exceptions import InvalidLetterMove
from grants.models import LETTERS_FOLDER, Letter, LetterStatusChange

from .compose import render_letters
from .documents import LetterFigures

S = ApplicationStatus


# A letter is tried this many times (the first run and the retries) before it shows as failed.
LETTER_ATTEMPTS = 4
# The note of a move a letter task makes when the caller does not name the task.
RENDERING = "grants.letters.rendering"
# Why an actor the move table leaves out is refused: only the tasks store or fail a letter.
REFUSALS = {LetterStatus.PENDING: gettext_lazy("Only programme staff issue letters.")}


def _ensure_move(letter: Letter, to: str, actor) -> None:
    LETTER_MOVES.check(letter, to, actor, invalid=InvalidLetterMove, not_allowed=ActorNotAllowed, refusals=REFUSALS)


@transaction.atomic
def letter_move(
    letter: Letter, to: str, *, actor, note: str = "", note_code: str = "", fields: dict | None = None
) -> LetterStatusChange:
    """Move one letter along `grants.enums.LETTER_MOVES`, saving `fields` (what the move stamps: the file and
    its hash, the attempts, the error) with it. `actor` None is a letter task (SYSTEM); `note` then names it.
    A note the software words is `note_code`, a code of `grants.enums.LETTER_NOTES`."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _ensure_move(letter, to, actor)
    change = LetterStatusChange.objects.create(
        letter=letter, from_status=letter.status, to_status=to, actor=actor, note=note, note_code=note_code
    )
    letter.status = to
    letter.save(update_fields=["status", *assign(letter, fields)])
    return change


@transaction.atomic
def letters_move(
    letters, to: str, *, actor, note: str = "", note_code: str = "", fields: dict | None = None
) -> list[LetterStatusChange]:
    """`letter_move` for many letters at once, in three queries however many: lock, history rows, update.

    A letter that another run moved meanwhile, so that the move no longer applies to it, is left as it is;
    an actor the table leaves out is refused for all of them."""
    ids = [letter.pk for letter in letters]
    if not ids:
        return []
    locked = [
        letter
        for letter in Letter.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        if LETTER_MOVES.allows(letter.status, to)
    ]
    for letter in locked:
        _ensure_move(letter, to, actor)
    changes = LetterStatusChange.objects.bulk_create(
        LetterStatusChange(
            letter=letter, from_status=letter.status, to_status=to, actor=actor, note=note, note_code=note_code
        )
        for letter in locked
    )
    Letter.objects.filter(pk__in=[letter.pk for letter in locked]).update(status=to, **(fields or {}))
    return changes


def letters_render(letter_ids: list[int], *, task: str = RENDERING) -> list[int]:
    """Render and store the pending letters among `letter_ids` together; returns the ids stored, whose
    emails the caller queues (tasks.py). `task` names the caller in the letters' history.

    Rendering happens outside any transaction; storing takes each letter's row lock and skips a letter
    another run stored meanwhile, so running twice (a retry, a resumed batch) never makes a second file.
    """
    letters = list(Letter.objects.filter(pk__in=letter_ids, status=LetterStatus.PENDING).order_by("pk"))
    if not letters:
        return []
    contents = render_letters([LetterFigures.from_json(letter.figures) for letter in letters])
    return [
        letter.pk for letter, content in zip(letters, contents, strict=True) if letter_store(letter, content, task=task)
    ]


def letter_store(letter: Letter, content: bytes, *, task: str = RENDERING) -> bool:
    def ready(locked: Letter, name: str, sha256: str) -> None:
        fields = {"file": name, "sha256": sha256, "rendered_at": timezone.now(), "error": ""}
        locked = letter_move(locked, LetterStatus.READY, actor=None, note=task, fields=fields).letter
        if locked.kind == LetterKind.AWARD:
            _award(locked)

    return store_once(Letter, letter.pk, pending=LetterStatus.PENDING, content=content, finish=ready)


def _award(letter: Letter) -> None:
    """The first award letter issued makes an approved application awarded, in the approver's name."""
    application = Application.objects.select_for_update().get(pk=letter.application_id)
    if application.status == S.APPROVED:
        grant = letter.grant
        application_move(
            application,
            S.AWARDED,
            actor=grant.approved_by,
            note_code="award_letter_issued",
            note_params={"number": grant.agreement_number},
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


def letter_failed(*, letter_id: int, error: str, final: bool, task: str = RENDERING) -> None:
    """Record a failed attempt; after the last one the letter shows as failed, with the error, to staff."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id, status=LetterStatus.PENDING).first()
        if letter is None:
            return
        fields = {"attempts": letter.attempts + 1, "error": error[:2000]}
        if final:
            letter_move(letter, LetterStatus.FAILED, actor=None, note=task, fields=fields)
            return
        letter.attempts, letter.error = fields["attempts"], fields["error"]
        letter.save(update_fields=["attempts", "error"])
