"""Screening services: a rejection needs its reason, and bulk screening applies what it can and names each failure."""

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus, RejectionReason
from applications.exceptions import ApplicationError
from applications.staff import services as screening
from tests.factories import UserFactory, submitted_application

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_reject_needs_a_reason_and_stores_it():
    application = submitted_application()
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)

    with pytest.raises(ApplicationError, match="Give a reason"):
        screening.application_reject(application=application, actor=officer, reason="")
    screening.application_reject(application=application, actor=officer, reason=RejectionReason.REGION, note="Крим")

    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (S.REJECTED, "region")


def test_bulk_screening_reports_each_failure_and_applies_the_rest():
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    fresh = submitted_application()
    already_rejected = submitted_application()
    screening.application_reject(application=already_rejected, actor=officer, reason=RejectionReason.OTHER)

    done, failed = screening.application_screen_bulk(
        applications=[fresh, already_rejected], actor=officer, action="shortlist"
    )

    assert [a.pk for a in done] == [fresh.pk]
    assert [(a.pk, message) for a, message in failed] == [
        (already_rejected.pk, "An application that is “Not shortlisted” cannot become “Shortlisted”.")
    ]
