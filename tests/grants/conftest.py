"""What the grants page tests share: a call with a budget of USD 7,000, applications the ranking
recommended, a page as a given user sees it, and an award letter rendered for real."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from grants.decisions.services import grant_approve
from grants.enums import LetterKind, LetterStatus
from grants.letters.services import letter_issue, letter_regenerate
from grants.models import Letter
from tests.factories import CallFactory, recommended_application


@pytest.fixture
def english_pages(client):
    """The public verify page speaks the browser's language (Ukrainian by default); these tests read English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def call():
    return CallFactory(reference_prefix="DC", cycle_year=2021, budget_envelope=Decimal("7000.00"))


def recommended(call, last_name="Бондар", **kwargs) -> Application:
    return recommended_application(call=call, last_name=last_name, first_name="Олена", **kwargs)


def page(client, user, name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, args=args), **kwargs)


def ready_award(application, approver, officer, capture) -> Letter:
    """Approve the grant and render its award letter for real (WeasyPrint, in this process)."""
    grant_approve(application=application, actor=approver)
    with capture(execute=True):
        letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.READY
    return letter


def ready_award_twice(application, approver, officer, capture) -> tuple[Letter, Letter]:
    """`ready_award`, then its second version, rendered for real too: (version 1, version 2)."""
    first = ready_award(application, approver, officer, capture)
    with capture(execute=True):
        second = letter_regenerate(letter=first, actor=officer)
    return first, second
