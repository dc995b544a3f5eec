"""The decision page's flags come from grants.decisions.selectors.decision_page: what the viewer may do."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.decisions.selectors import decision_page
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.rendering import letter_failed
from grants.letters.services import letter_issue
from tests.factories import CallFactory, StatusChangeFactory, UserFactory, recommended_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def flags(page) -> tuple:
    return page.can_decide, page.can_promote, page.issuable


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (S.RECOMMENDED, Role.APPROVER, (True, False, [])),
        (S.RECOMMENDED, Role.PROGRAMME_OFFICER, (False, False, [])),
        (S.WAITLISTED, Role.APPROVER, (True, False, [])),
        (S.WAITLISTED, Role.PROGRAMME_OFFICER, (False, True, [])),
    ],
)
def test_who_decides_and_who_promotes(status, role, expected):
    application = recommended_application(status=status)

    assert flags(decision_page(application.pk, UserFactory(role=role))) == expected


def test_an_approved_application_offers_its_award_letter_once(approver, officer, django_capture_on_commit_callbacks):
    application = recommended_application(call=CallFactory(budget_envelope=Decimal("10000.00")))
    grant_approve(application=application, actor=approver)

    before = decision_page(application.pk, officer)
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)
    letter_failed(letter_id=letter.pk, error="Timeout", final=True)
    after = decision_page(application.pk, officer)

    assert flags(before) == (False, False, [(LetterKind.AWARD, LetterKind.AWARD.label)])
    [(_, [row])] = after.letter_groups
    assert (after.issuable, row.letter.pk, row.can_retry, row.can_regenerate) == ([], letter.pk, True, False)


def test_the_approver_who_recommended_is_told_so_under_the_two_person_rule(approver):
    call = CallFactory(two_person_rule=True)
    application = recommended_application(call=call)
    StatusChangeFactory(application=application, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=approver)

    assert decision_page(application.pk, approver).recommended_by_viewer is True
    assert decision_page(application.pk, UserFactory(role=Role.APPROVER)).recommended_by_viewer is False
