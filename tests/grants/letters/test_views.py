"""The letter pages, through the views: failed letters and batches on the staff pages, downloads, the
applicant's dashboard and the public verification page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import AccessLogEntry
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason, LetterKind, LetterStatus
from grants.letters.services import letter_issue, letters_batch_start
from grants.models import Letter, LetterBatch
from tests.conftest import messages_of, shown_by
from tests.factories import LetterFactory, UserFactory, letter_given_up
from tests.grants.conftest import page, ready_award, ready_award_twice, recommended

# Letters render in this process, under CI too: these tests are about the pages, not the worker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "eager_tasks")]


# --- Letters on the staff pages ------------------------------------------------------------------------------


def test_a_failed_letter_shows_its_error_and_can_be_tried_again(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    application = recommended(call)
    grant_approve(application=application, actor=approver)
    letter = LetterFactory(application=application, requested_by=officer, failed=True, error="OSError: disk full")

    shown = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "grants"})
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:letter_issue", args=[application.pk]), {"kind": LetterKind.AWARD}, follow=True
        )

    assert shown_by(shown, "letter-error") == ["OSError: disk full"]
    assert shown_by(shown, "letters-award") == ["Decided: 1 · with a ready letter: 0 · without: 1"]
    assert messages_of(response) == ["The letter is being prepared."]
    letter.refresh_from_db()
    assert (letter.status, letter.error) == (LetterStatus.READY, "")


def test_generating_award_letters_starts_a_batch_and_shows_its_page(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    applications = [recommended(call, name) for name in ("Бондар", "Коваль")]
    for application in applications:
        grant_approve(application=application, actor=approver)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:letters_start", args=[call.pk]), {"kind": LetterKind.AWARD})
    batch = LetterBatch.objects.get(call=call)
    shown = client.get(response["Location"])
    decisions = page(client, officer, "grants:call_decisions", call.pk, data={"tab": "grants"})

    assert response["Location"] == reverse("grants:batch", args=[batch.pk])
    assert [shown_by(shown, t) for t in ("batch-done", "batch-failed", "batch-total")] == [["2"], ["0"], ["2"]]
    assert 'aria-valuenow="100"' in shown.content.decode()
    assert shown_by(decisions, "letters-award") == ["Decided: 2 · with a ready letter: 2 · without: 0"]
    assert shown_by(decisions, "letter-status") == ["Ready", "Ready"]


def test_the_progress_fragment_polls_while_letters_are_pending_and_stops_when_finished(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    for name in ("Бондар", "Коваль", "Шевчук"):
        grant_approve(application=recommended(call, name, grant=Decimal("2000.00")), actor=approver)
    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)  # queued, not run
    first, second, third = batch.letters.order_by("pk")
    letter_given_up(second, error="WeasyPrint: font missing")
    with django_capture_on_commit_callbacks(execute=True):
        letter_issue(application=first.application, kind=LetterKind.AWARD, actor=officer)

    pending = page(client, officer, "grants:batch_progress", batch.pk)
    letter_given_up(third, error="Timeout")
    finished = page(client, officer, "grants:batch_progress", batch.pk)

    assert [shown_by(pending, t) for t in ("batch-done", "batch-failed", "batch-total")] == [["1"], ["1"], ["3"]]
    assert 'hx-trigger="every 1s"' in pending.content.decode()
    assert 'aria-valuenow="67"' in pending.content.decode()
    assert pending["Cache-Control"] == "no-store"
    assert [shown_by(finished, t) for t in ("batch-done", "batch-failed", "batch-total")] == [["1"], ["2"], ["3"]]
    assert "hx-trigger" not in finished.content.decode()
    assert shown_by(finished, "batch-failed-letters")[0].count(":") == 3


def test_a_stalled_batch_offers_resume_which_finishes_it_without_duplicates(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    applications = [recommended(call, name) for name in ("Бондар", "Коваль")]
    for application in applications:
        grant_approve(application=application, actor=approver)
    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)  # the worker "died"

    fresh = page(client, officer, "grants:batch", batch.pk)
    LetterBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    stalled = page(client, officer, "grants:batch", batch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.post(reverse("grants:batch_resume", args=[batch.pk]))
    response = client.get(resumed["Location"])

    assert (shown_by(fresh, "batch-resume"), shown_by(stalled, "batch-resume")) == ([], ["Resume"])
    assert [shown_by(response, t) for t in ("batch-done", "batch-failed", "batch-total")] == [["2"], ["0"], ["2"]]
    assert shown_by(response, "batch-resume") == []
    assert list(Letter.objects.filter(application__call=call).values_list("version", "status")) == [
        (1, LetterStatus.READY),
        (1, LetterStatus.READY),
    ]


def test_staff_pages_of_letters_and_batches_are_for_staff(client, call, approver, officer):
    application = recommended(call)
    grant_approve(application=application, actor=approver)
    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    client.force_login(UserFactory())

    codes = [
        client.get(reverse("grants:batch", args=[batch.pk])).status_code,
        client.get(reverse("grants:batch_progress", args=[batch.pk])).status_code,
        client.post(reverse("grants:batch_resume", args=[batch.pk])).status_code,
        client.post(reverse("grants:letters_start", args=[call.pk]), {"kind": "award"}).status_code,
        client.get(reverse("grants:application", args=[application.pk])).status_code,
        client.get(reverse("grants:calls")).status_code,
    ]

    assert codes == [403] * 6


# --- Downloads -----------------------------------------------------------------------------------------------


def test_who_may_download_a_letter(client, call, approver, officer, django_capture_on_commit_callbacks):
    application = recommended(call)
    letter = ready_award(application, approver, officer, django_capture_on_commit_callbacks)
    url = reverse("letters:download", args=[letter.pk])

    def get(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    owner = get(application.applicant)
    others = [
        get(user).status_code
        for user in (UserFactory(), UserFactory(role=Role.REVIEWER), UserFactory(role=Role.CONSULTANT))
    ]
    anonymous = get(None)
    staff = get(officer)
    missing = client.get(reverse("letters:download", args=[letter.pk + 1000]))

    assert owner.status_code == 200
    assert (owner["Content-Type"], owner["Cache-Control"]) == ("application/pdf", "private, no-store")
    assert owner["Content-Disposition"] == 'attachment; filename="award-letter-UA-DC-2021-0001-v1.pdf"'
    # Reading a streamed response to its end closes its file (the test client's wrapper closes it).
    assert b"".join(owner.streaming_content).startswith(b"%PDF")
    assert b"".join(staff.streaming_content).startswith(b"%PDF")
    assert others == [404, 404, 404]
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert staff.status_code == 200
    assert missing.status_code == 404
    assert list(AccessLogEntry.objects.filter(application=application).values_list("user", "action")) == [
        (officer.pk, "letter_download")
    ]


def test_a_letter_still_being_prepared_cannot_be_downloaded(client, call, approver, officer):
    application = recommended(call)
    grant_approve(application=application, actor=approver)
    letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)  # pending
    client.force_login(application.applicant)

    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 404


def test_the_applicant_dashboard_offers_the_letter_and_its_earlier_versions(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    application = recommended(call)
    first, second = ready_award_twice(application, approver, officer, django_capture_on_commit_callbacks)

    response = page(client, application.applicant, "dashboard")

    assert shown_by(response, "letter-download") == ["Download your award letter (PDF)"]
    content = response.content.decode()
    assert reverse("letters:download", args=[second.pk]) in content
    assert shown_by(response, "letter-superseded") == [f"Version 1 of {first.issued_on:%d.%m.%Y} (superseded)"]


# --- Public verification -------------------------------------------------------------------------------------


def test_the_verification_page_tells_a_genuine_letter_and_nothing_personal(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    application = recommended(call, "Петренко")
    letter = ready_award(application, approver, officer, django_capture_on_commit_callbacks)

    response = client.get(reverse("letter_verify", args=[letter.verification_code]), HTTP_ACCEPT_LANGUAGE="en")
    typed = client.get(
        reverse("letter_verify", args=[letter.verification_code.replace("-", "").lower()]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert (response.status_code, typed.status_code) == (200, 200)
    assert [shown_by(response, t) for t in ("verify-kind", "verify-number", "verify-date", "verify-amount")] == [
        ["Award letter"],
        ["UA-DC-2021-0001"],
        [letter.issued_on.strftime("%d.%m.%Y")],
        ["USD 3,000.00"],
    ]
    content = response.content.decode()
    assert ["Петренко" in content, "Олена" in content, "Lviv" in content, "Genuine letter" in content] == [
        False,
        False,
        False,
        True,
    ]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert shown_by(response, "verify-superseded") == []


def test_an_earlier_version_verifies_as_superseded(client, call, approver, officer, django_capture_on_commit_callbacks):
    letter, newer = ready_award_twice(recommended(call), approver, officer, django_capture_on_commit_callbacks)

    old = client.get(reverse("letter_verify", args=[letter.verification_code]))
    new = client.get(reverse("letter_verify", args=[newer.verification_code]))

    assert len(shown_by(old, "verify-superseded")) == 1
    assert shown_by(new, "verify-superseded") == []


def test_a_decline_letter_verifies_with_the_application_reference_and_no_amount(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    application = recommended(call)
    grant_decline(application=application, actor=approver, reason=DeclineReason.SCORE)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(application=application, kind=LetterKind.DECLINE, actor=officer)

    response = client.get(reverse("letter_verify", args=[letter.verification_code]))

    assert response.status_code == 200
    assert shown_by(response, "verify-number") == [application.reference]
    assert shown_by(response, "verify-amount") == []


def test_a_forged_code_is_not_found(client):
    response = client.get(reverse("letter_verify", args=["ABCD-EFGH-JKLM-NPQR"]))

    assert response.status_code == 404
    assert shown_by(response, "verify-not-found")[0].startswith(
        "✘ No letter with this code was issued by the programme."
    )
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_letter_still_being_prepared_is_not_genuine(client, call, approver, officer):
    application = recommended(call)
    grant_approve(application=application, actor=approver)
    letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)  # pending

    response = client.get(reverse("letter_verify", args=[letter.verification_code]))

    assert response.status_code == 404
    assert len(shown_by(response, "verify-not-found")) == 1


def test_the_verification_form_goes_to_the_code_page(client):
    empty = client.get(reverse("letter_verify_form"))
    typed = client.get(reverse("letter_verify_form"), {"code": " abcd efgh-jklm npqr "})
    blank = client.get(reverse("letter_verify_form"), {"code": "--"})

    assert (empty.status_code, empty["X-Robots-Tag"]) == (200, "noindex, nofollow")
    assert typed.status_code == 302 and typed["Location"] == reverse("letter_verify", args=["ABCD-EFGH-JKLM-NPQR"])
    assert blank.status_code == 200 and blank.context["form"].errors
