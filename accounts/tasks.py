from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rendered_email(
    *, subject: str, body: str, to: list[str], from_email: str, html: str = "", reply_to: list[str] | None = None
) -> None:
    """Send a message already rendered in the recipient's language (rendering needs the request)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
