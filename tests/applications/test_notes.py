"""System-written notes are stored as codes and read in the reader's language; old text notes still read."""

import pytest
from django.utils import translation

from applications.enums import ApplicationStatus as S
from applications.models import ApplicationStatusChange
from applications.notes import note_render
from applications.services import application_move
from grants.enums import DeclineReason
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Grant UA-1P1-2026-0001 approved: USD 3,500.00."),
        ("uk", "Грант UA-1P1-2026-0001 затверджено: 3\u202f500,00 USD."),
    ],
)
def test_a_system_note_reads_in_the_readers_language(language, expected):
    params = {"number": "UA-1P1-2026-0001", "grant": "3500"}
    change = ApplicationStatusChange(note_code="grant_approved", note_params=params)

    with translation.override(language):
        assert change.note_text == expected


def test_a_decline_reason_is_stored_as_its_code_and_worded_by_the_reader():
    with translation.override("uk"):
        uk = note_render("declined_for_reason", {"reason": DeclineReason.BUDGET})
    with translation.override("en"):
        en = note_render("declined_for_reason", {"reason": DeclineReason.BUDGET})

    assert (uk, en) == ("Бюджет конкурсу не дозволяє надати цей грант", "The call's budget does not allow this grant")


def test_an_old_row_with_a_text_note_reads_as_written():
    change = ApplicationStatusChange(note="Запрошено на засідання 12.06.2030 10:00.")

    with translation.override("en"):
        assert change.note_text == "Запрошено на засідання 12.06.2030 10:00."


def test_a_move_with_an_unknown_note_code_is_refused_and_changes_nothing():
    application = ApplicationFactory()

    with pytest.raises(ValueError, match="unknown system note"):
        application_move(application, S.SUBMITTED, actor=application.applicant, note_code="no_such_note")

    application.refresh_from_db()
    assert (application.status, application.status_changes.count()) == (S.DRAFT, 0)
