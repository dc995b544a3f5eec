"""A letter's status changes only through `letter_move` and `letters_move` (grants.letters.rendering), which
write its history: the letter tasks as the system (no actor, the task named in the note), staff by name."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import Role
from common.exceptions import InvalidMove
from grants.decisions.services import grant_approve
from grants.enums import LETTER_MOVES, LetterKind, LetterStatus
from grants.letters.rendering import letter_failed, letter_move
from grants.letters.services import letter_issue, letters_batch_resume, letters_batch_start
from grants.models import Letter, LetterStatusChange
from tests.factories import CallFactory, UserFactory, recommended_application

pytestmark = pytest.mark.django_db
RENDER_TASK = "grants.letters.tasks.letter_render"


def approved_call(approver, n: int):
    call = CallFactory(budget_envelope=Decimal("40000.00"))
    for _ in range(n):
        grant_approve(application=recommended_application(call=call), actor=approver)
    return call


def pending_letter(approver, officer, django_capture_on_commit_callbacks) -> Letter:
    call = approved_call(approver, 1)
    with django_capture_on_commit_callbacks(execute=False):
        return letter_issue(application=call.applications.get(), kind=LetterKind.AWARD, actor=officer)


def failed(letter: Letter) -> Letter:
    letter_failed(letter_id=letter.pk, error="OSError: disk full", final=True, task=RENDER_TASK)
    letter.refresh_from_db()
    return letter


def history(letter: Letter) -> list[tuple]:
    return [
        (change.from_status, change.to_status, change.actor, change.note_text)
        for change in LetterStatusChange.objects.filter(letter=letter)
    ]


def test_the_table_names_every_status():
    assert set(LETTER_MOVES.moves) == set(LetterStatus.values) == set(LETTER_MOVES.actors)


def test_a_stored_letter_is_moved_by_the_task_with_no_actor(
    approver, officer, eager_tasks, django_capture_on_commit_callbacks
):
    call = approved_call(approver, 1)

    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(application=call.applications.get(), kind=LetterKind.AWARD, actor=officer)

    assert history(letter) == [(LetterStatus.PENDING, LetterStatus.READY, None, RENDER_TASK)]


def test_only_the_last_failed_attempt_moves_the_letter(approver, officer, django_capture_on_commit_callbacks):
    letter = pending_letter(approver, officer, django_capture_on_commit_callbacks)

    letter_failed(letter_id=letter.pk, error="Timeout", final=False, task=RENDER_TASK)
    after_one = history(letter)
    failed(letter)

    assert after_one == []
    assert history(letter) == [(LetterStatus.PENDING, LetterStatus.FAILED, None, RENDER_TASK)]
    assert (letter.status, letter.attempts, letter.error) == (LetterStatus.FAILED, 2, "OSError: disk full")


def test_trying_a_failed_letter_again_is_the_officers_move(approver, officer, django_capture_on_commit_callbacks):
    letter = failed(pending_letter(approver, officer, django_capture_on_commit_callbacks))

    with django_capture_on_commit_callbacks(execute=False):
        again = letter_issue(application=letter.application, kind=LetterKind.AWARD, actor=officer)

    assert (again.status, again.attempts, again.error) == (LetterStatus.PENDING, 0, "")
    assert history(letter)[1:] == [(LetterStatus.FAILED, LetterStatus.PENDING, officer, "Tried again.")]
    with translation.override("uk"):
        assert history(letter)[-1][3] == "Повторна спроба."


def test_a_ready_letter_is_final(approver, officer, eager_tasks, django_capture_on_commit_callbacks):
    call = approved_call(approver, 1)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(application=call.applications.get(), kind=LetterKind.AWARD, actor=officer)

    with pytest.raises(InvalidMove, match="^“Ready” cannot become “Being prepared”.$"):
        letter_move(letter, LetterStatus.PENDING, actor=officer)

    letter.refresh_from_db()
    assert (letter.status, len(history(letter))) == (LetterStatus.READY, 1)


def failed_batch(approver, officer, n: int, django_capture_on_commit_callbacks):
    call = approved_call(approver, n)
    with django_capture_on_commit_callbacks(execute=False):
        batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    for letter in batch.letters.all():
        failed(letter)
    return call, batch


@pytest.mark.parametrize("n", [1, 3])
def test_a_new_batch_retries_failed_letters_in_a_fixed_number_of_queries(
    approver, officer, n, django_capture_on_commit_callbacks
):
    call, _ = failed_batch(approver, officer, n, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        second = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)

    assert len(queries.captured_queries) == 10
    letters = list(Letter.objects.filter(application__call=call))
    assert [(letter.status, letter.batch_id) for letter in letters] == [(LetterStatus.PENDING, second.pk)] * n
    assert [history(letter)[-1] for letter in letters] == [
        (LetterStatus.FAILED, LetterStatus.PENDING, officer, "Tried again in a new batch.")
    ] * n


def test_resuming_a_batch_moves_each_failed_letter_with_a_history_row(
    approver, officer, django_capture_on_commit_callbacks
):
    _, batch = failed_batch(approver, officer, 2, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=False):
        letters_batch_resume(batch=batch, actor=officer)

    assert [letter.status for letter in batch.letters.all()] == [LetterStatus.PENDING] * 2
    assert [history(letter)[-1] for letter in batch.letters.all()] == [
        (LetterStatus.FAILED, LetterStatus.PENDING, officer, "Tried again: the batch was resumed.")
    ] * 2


@pytest.mark.parametrize(
    ("status", "who", "moves"),
    [
        (LetterStatus.PENDING, "system", [LetterStatus.READY, LetterStatus.FAILED]),
        (LetterStatus.PENDING, "officer", []),
        (LetterStatus.FAILED, "officer", [LetterStatus.PENDING]),
        (LetterStatus.FAILED, "approver", [LetterStatus.PENDING]),
        (LetterStatus.FAILED, "applicant", []),
        (LetterStatus.FAILED, "system", []),
    ],
)
def test_available_moves_of_a_letter_by_role(approver, officer, status, who, moves, django_capture_on_commit_callbacks):
    letter = pending_letter(approver, officer, django_capture_on_commit_callbacks)
    if status == LetterStatus.FAILED:
        letter = failed(letter)
    actors = {
        "system": None,
        "officer": officer,
        "approver": UserFactory(role=Role.APPROVER),
        "applicant": letter.application.applicant,
    }

    assert letter.available_moves(actors[who]) == moves
