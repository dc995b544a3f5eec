"""Reads of letters: a batch's progress, its failed letters, an applicant's ready letters, a code's letter."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.shortcuts import get_object_or_404

from applications.enums import ApplicationStatus
from applications.models import Application
from grants.enums import LETTER_STATUSES, MAY_HAVE_LETTERS, LetterKind, LetterStatus
from grants.models import Letter, LetterBatch

S = ApplicationStatus


def batch_for_staff(pk: int) -> LetterBatch:
    return get_object_or_404(LetterBatch.objects.select_related("call", "requested_by"), pk=pk)


def batch_failed_letters(batch: LetterBatch) -> list[Letter]:
    return list(batch.letters.filter(status=LetterStatus.FAILED).select_related("application").order_by("pk"))


@dataclass(frozen=True)
class LetterGroup:
    """An application's ready letters of one kind: the newest version, and the earlier ones it supersedes."""

    kind: str
    current: Letter
    superseded: list[Letter]

    @property
    def label(self) -> str:
        return LetterKind(self.kind).label


def attach_ready_letters(applications: list[Application]) -> None:
    """Set `letter_groups` on each application (award first), reading the ready letters of all in one query,
    and in none while no application has reached a decision."""
    by_application: dict[int, dict[str, list[Letter]]] = defaultdict(lambda: defaultdict(list))
    decided = [application.pk for application in applications if application.status in MAY_HAVE_LETTERS]
    letters = (
        Letter.objects.filter(application_id__in=decided, status=LetterStatus.READY).order_by(
            "application_id", "kind", "-version"
        )
        if decided
        else []
    )
    for letter in letters:
        by_application[letter.application_id][letter.kind].append(letter)
    for application in applications:
        kinds = by_application.get(application.pk, {})
        application.letter_groups = [
            LetterGroup(kind=kind, current=kinds[kind][0], superseded=kinds[kind][1:])
            for kind in LetterKind.values
            if kinds.get(kind)
        ]


def letter_by_code(code: str) -> tuple[Letter, bool] | None:
    """The ready letter with this (normalized) code, and whether a later ready version supersedes it."""
    letter = Letter.objects.filter(verification_code=code, status=LetterStatus.READY).first()
    if letter is None:
        return None
    superseded = Letter.objects.filter(
        application_id=letter.application_id, kind=letter.kind, version__gt=letter.version, status=LetterStatus.READY
    ).exists()
    return letter, superseded


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    @property
    def finished(self) -> bool:
        return self.pending == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + self.failed) / self.total)


def batch_progress(batch: LetterBatch) -> BatchProgress:
    counts = dict.fromkeys(LetterStatus.values, 0)
    for row in batch.letters.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return BatchProgress(
        total=sum(counts.values()), done=counts[LetterStatus.READY], failed=counts[LetterStatus.FAILED]
    )


# A batch with letters still pending this long after it was (re)started may have lost its worker: offer resuming.
RESUME_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class BatchPage:
    batch: LetterBatch
    progress: BatchProgress
    failed_letters: list[Letter]
    can_resume: bool


def batch_page(batch: LetterBatch, *, now: datetime) -> BatchPage:
    """A batch's progress, its failed letters, and whether to offer resuming it: some letters failed, or some
    are still pending RESUME_AFTER since the batch was (re)started (its worker may have died)."""
    progress = batch_progress(batch)
    started = batch.resumed_at or batch.created_at
    stalled = bool(progress.pending) and now - started > RESUME_AFTER
    return BatchPage(
        batch=batch,
        progress=progress,
        failed_letters=batch_failed_letters(batch) if progress.failed else [],
        can_resume=stalled or bool(progress.failed),
    )


def letter_recipients(call, kind: str) -> list:
    """The applications a new batch of `kind` letters would write to (and email): those with the decision
    and no ready letter of that kind yet, as `letters_batch_start` takes them. Two queries."""
    ready = set(
        Letter.objects.filter(application__call=call, kind=kind, status=LetterStatus.READY).values_list(
            "application_id", flat=True
        )
    )
    applications = Application.objects.filter(call=call, status__in=LETTER_STATUSES[kind]).order_by("reference")
    return [application for application in applications if application.pk not in ready]
