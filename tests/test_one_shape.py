"""The same grant in the same shape wherever a person meets it: on a page, in an email, in the award
letter (read back with pdftotext) and in an export, in Ukrainian and in English (common.money)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from common.exports import csv_bytes
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.selectors import batch_progress
from grants.letters.services import letters_batch_start
from grants.models import Grant, Letter
from tests.factories import CallFactory, UserFactory, recommended_application
from tests.grants.letters.test_services import file_bytes, pdf_text
from tests.grants.letters.test_tasks import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SHAPES = {"uk": "4\u202f000,00 USD", "en": "USD 4,000.00"}
WRONG = {"uk": "USD 4,000.00", "en": "4\u202f000,00 USD"}


@pytest.fixture
def awarded(celery_worker, mailbox):
    approver = UserFactory(role=Role.APPROVER)
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    call = CallFactory(budget_envelope=Decimal("20000.00"))
    applications = {
        language: recommended_application(
            call=call,
            grant=Decimal("4000.00"),
            language=language,
            applicant__email=f"{language}@example.org",
            equipment=(("Сироварня", 1, Decimal("4500.00")),),
        )
        for language in SHAPES
    }
    for application in applications.values():
        grant_approve(application=application, actor=approver)
    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    wait_until(lambda: batch_progress(batch).finished)
    return applications


@pytest.mark.parametrize("language", SHAPES)
def test_one_grant_reads_the_same_on_the_page_in_the_email_the_letter_and_the_export(
    language, awarded, mailbox, client
):
    application, shape = awarded[language], SHAPES[language]
    client.force_login(application.applicant)

    page = client.get(f"/{language}" + reverse("plans:plan_detail", args=[application.pk])[3:]).text
    (email,) = mailbox.wait_for(to=f"{language}@example.org")
    body = next(part for part in email.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    letter = pdf_text(file_bytes(Letter.objects.get(application=application)))
    section = letter.split("1+1 · ")[1]  # the applicant's language comes first
    with translation.override(language):
        grant = Grant.objects.get(application=application).grant_usd
        export = csv_bytes(["Grant (USD)"], [[grant]]).decode("utf-8-sig")

    assert shape in page and WRONG[language] not in page
    assert shape in body.decode() and WRONG[language] not in body.decode()
    # pdftotext reads the narrow no-break space as a plain space; the glyph in the PDF is U+202F.
    assert shape.replace("\u202f", " ") in section
    assert shape.removesuffix(" USD").removeprefix("USD ") in export
