"""When the batch page offers resuming: grants.letters.selectors.batch_page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.rendering import letter_failed
from grants.letters.selectors import RESUME_AFTER, batch_page
from grants.letters.services import letters_batch_start
from tests.factories import CallFactory, recommended_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(approver, officer, django_capture_on_commit_callbacks):
    call = CallFactory(budget_envelope=Decimal("10000.00"))
    grant_approve(application=recommended_application(call=call), actor=approver)
    with django_capture_on_commit_callbacks(execute=False):
        return letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)


def test_a_pending_batch_is_offered_for_resuming_only_once_it_stalls(batch):
    started = batch.created_at

    fresh = batch_page(batch, now=started + RESUME_AFTER)
    stalled = batch_page(batch, now=started + RESUME_AFTER + timedelta(seconds=1))

    assert (fresh.can_resume, stalled.can_resume) == (False, True)


def test_a_batch_with_a_failed_letter_is_offered_for_resuming_at_once(batch):
    letter_failed(letter_id=batch.letters.get().pk, error="Timeout", final=True)

    page = batch_page(batch, now=timezone.now())

    assert (page.can_resume, [letter.error for letter in page.failed_letters]) == (True, ["Timeout"])
