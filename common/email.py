"""Every email the programme sends: a plain-text part and an HTML part in one shared layout with the
programme's identity (templates/emails/layout.html, templates/emails/footer.txt).

Replies: with REPLY_TO_EMAIL set (a mailbox someone reads), messages carry it as Reply-To and the footer
says replies are read; without it the footer says replies are not read and where to get help instead.
Render inside the recipient's language (`translation.override`)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .site import absolute_url, site_name, site_url


def email_context() -> dict:
    """What every email template may use: the site's address and name, and how to get help."""
    return {
        "site_url": site_url(),
        "site_name": site_name(),
        "reply_to": settings.REPLY_TO_EMAIL,
        "help_url": absolute_url(f"/{_language()}/help/"),
    }


def _language() -> str:
    from django.utils import translation

    return "en" if (translation.get_language() or "uk").startswith("en") else "uk"


def email_message(*, subject: str, text: str, to: list[str], from_email: str | None = None) -> EmailMultiAlternatives:
    """The message with `text` as its plain-text part and the same words in the HTML layout."""
    context = {**email_context(), "subject": subject, "text": text.strip()}
    body = text.strip() + "\n\n" + render_to_string("emails/footer.txt", context).strip() + "\n"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[settings.REPLY_TO_EMAIL] if settings.REPLY_TO_EMAIL else None,
    )
    message.attach_alternative(render_to_string("emails/layout.html", context), "text/html")
    return message
