"""Every email the programme sends, in Ukrainian and English: a plain-text and an HTML part in the shared
layout, the programme's name and SITE_URL, a sentence-case subject, and no invitation to reply unless a
monitored Reply-To is configured."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from applications.enums import ApplicationStatus as S
from applications.tasks import notify_status_change
from common.email import email_context, email_message
from reviews.sessions.tasks import send_defense_invitation
from tests.factories import ApplicationFactory, DefenseSlotFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db

SITE = "https://grants.example.org"
LANGUAGES = ("uk", "en")
# name -> (from status, to status) of the change that sends it
STATUS_EMAILS = {
    "status_submitted": (S.DRAFT, S.SUBMITTED),
    "status_shortlisted": (S.SUBMITTED, S.SHORTLISTED),
    "status_rejected": (S.SUBMITTED, S.REJECTED),
    "status_plan_submitted": (S.SHORTLISTED, S.PLAN_SUBMITTED),
    "status_plan_submitted_to_shortlisted": (S.PLAN_SUBMITTED, S.SHORTLISTED),
}
SIGN_OFF = {"uk": "Команда програми 1+1", "en": "The 1+1 programme team"}
NO_REPLY = {"uk": "Відповіді на цю адресу ніхто не читає", "en": "Replies to this address are not read"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"
    settings.REPLY_TO_EMAIL = ""


def parts(message) -> tuple[str, str]:
    """The plain-text body and the HTML alternative of a sent message."""
    [(html, mime)] = message.alternatives
    assert mime == "text/html"
    return message.body, html


def assert_sentence_case(subject: str) -> None:
    words = [w for w in re.findall(r"[^\W\d_]+", subject.split(": ", 1)[-1]) if len(w) > 1]
    capitalised = [w for w in words[1:] if w[0].isupper() and not w.isupper()]
    assert subject.startswith("1+1: ") and capitalised == [], subject


def assert_programme_email(message, language: str) -> None:
    text, html = parts(message)
    assert_sentence_case(message.subject)
    assert SIGN_OFF[language] in text
    assert f"{SITE}/" in text and f'href="{SITE}/"' in html
    assert NO_REPLY[language] in text and NO_REPLY[language] in html
    assert f"{SITE}/{language}/help/" in text
    assert f'<html lang="{language}">' in html
    assert "reply to this email" not in text.lower() and "дайте відповідь на цей лист" not in text
    assert message.reply_to == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STATUS_EMAILS))
def test_every_status_email_has_both_parts_in_the_applicants_language(name, language, eager_tasks):
    from_status, to_status = STATUS_EMAILS[name]
    application = ApplicationFactory(language=language, reference="1P1-2021-0042")
    change = StatusChangeFactory(application=application, from_status=from_status, to_status=to_status, note="")
    mail.outbox.clear()

    assert notify_status_change(change.pk) is True

    [message] = mail.outbox
    assert_programme_email(message, language)
    assert "1P1-2021-0042" in message.subject
    if name != "status_rejected":  # the others link to the application on SITE_URL
        assert f"{SITE}/{language}/applications/{application.pk}/" in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_defense_invitation_says_where_to_get_help_instead_of_asking_for_a_reply(language, eager_tasks):
    slot = DefenseSlotFactory()
    slot.application.language = language
    slot.application.save(update_fields=["language"])
    mail.outbox.clear()

    assert send_defense_invitation(slot.pk) is True

    [message] = mail.outbox
    assert_programme_email(message, language)
    assert [part.get_content_type() for part in message.attachments] == ["text/calendar"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["defense_reminder", "letter_award", "letter_decline"])
def test_the_reminder_and_letter_emails_render_in_the_layout(name, language):
    application = ApplicationFactory(language=language, reference="1P1-2021-0042")
    letter = SimpleNamespace(version=2, verification_code="K7QF-M2XD-9TRA-PW3E", figures={"agreement_number": "UA-1"})
    session = SimpleNamespace(venue="Львів", online_link="")
    context = {"application": application, "letter": letter, "session": session, "date": "12.06.2030"}
    with translation.override(language):
        context.update(email_context(), time="10:00", ends="10:30")
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        message = email_message(subject=subject, text=render_to_string(f"emails/{name}.txt", context), to=["a@b.c"])

    assert_programme_email(message, language)


def test_with_a_monitored_reply_to_the_email_carries_it_and_says_replies_are_read(settings, eager_tasks):
    settings.REPLY_TO_EMAIL = "team@grants.example.org"
    change = StatusChangeFactory(application=ApplicationFactory(language="en"))
    mail.outbox.clear()

    notify_status_change(change.pk)

    [message] = mail.outbox
    text, html = parts(message)
    assert message.reply_to == ["team@grants.example.org"]
    assert "You can reply to this email: the programme team reads the replies." in text
    assert "not read" not in text and "not read" not in html


SIGNUP = {"first_name": "Олена", "last_name": "Савчук", "email": "olena@example.org"}


@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [
        ("uk", "Доброго дня!", "1+1: Підтвердьте адресу електронної пошти"),
        ("en", "Hello,", "1+1: Confirm your email address"),
    ],
)
def test_the_account_verification_email_is_the_programmes_own(
    client, language, greeting, subject, eager_tasks, django_capture_on_commit_callbacks
):
    password = "Kvitka-2021-Lviv!"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{language}/accounts/signup/", {**SIGNUP, "password1": password, "password2": password})

    [message] = mail.outbox
    text, html = parts(message)
    assert (message.subject, text.splitlines()[0]) == (subject, greeting)
    assert_programme_email(message, language)
    assert re.search(rf"(?<!\S){re.escape(SITE)}/{language}/accounts/confirm-email/\S+/(?!\S)", text)
    assert "grants.example.org" in text and "від !" not in text and "from !" not in text
    assert " на ." not in text and "for using !" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_email_links_to_site_url(client, language, eager_tasks, django_capture_on_commit_callbacks):
    ApplicationFactory(applicant__email="olena@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{language}/accounts/password/reset/", {"email": "olena@example.org"})

    [message] = mail.outbox
    assert_programme_email(message, language)
    assert re.search(rf"(?<!\S){re.escape(SITE)}/{language}/accounts/password/reset/key/\S+/(?!\S)", message.body)
