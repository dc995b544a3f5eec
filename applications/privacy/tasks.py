"""Celery work of personal-data protection: the daily retention sweep and erasure outcomes by email."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.enums import ErasureStatus
from applications.models import ErasureRequest

from .retention import retention_run


@shared_task
def retention_sweep() -> int:
    """Daily (beat): anonymise applications past their call's retention period, delete abandoned drafts."""
    report = retention_run()
    return len(report.anonymised) + len(report.drafts)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_erasure_outcome(request_id: int) -> bool:
    """Tell the person the outcome of their erasure request, in their language, once; then forget the address."""
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.notified_at is not None or request.status == ErasureStatus.PENDING:
            return False
        with translation.override(request.language):
            context = {"request": request, "site_url": settings.SITE_URL}
            name = f"emails/erasure_{request.status}"
            subject = render_to_string(f"{name}_subject.txt", context).strip()
            body = render_to_string(f"{name}.txt", context)
        if request.notify_email:
            EmailMessage(subject=subject, body=body, to=[request.notify_email]).send()
        request.notified_at = timezone.now()
        request.notify_email = ""
        request.save(update_fields=["notified_at", "notify_email"])
        return True
