from celery import shared_task
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.email import email_context, email_message

from .enums import RejectionReason
from .models import ApplicationStatusChange


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_change(change_id: int) -> bool:
    """Email the applicant about one status change, in their language, at most once."""
    with transaction.atomic():
        change = (
            ApplicationStatusChange.objects.select_for_update(of=("self",))
            .select_related("application__call", "application__applicant")
            .filter(pk=change_id)
            .first()
        )
        if change is None or change.notified_at is not None:
            return False
        application = change.application
        with translation.override(application.language):
            context = {
                "application": application,
                "change": change,
                "reason": RejectionReason(application.rejection_reason).label if application.rejection_reason else "",
                **email_context(),
            }
            # A move can have its own message (a plan returned for revision is "back to shortlisted").
            names = [f"status_{change.from_status}_to_{change.to_status}", f"status_{change.to_status}"]
            subject = render_to_string([f"emails/{name}_subject.txt" for name in names], context).strip()
            body = render_to_string([f"emails/{name}.txt" for name in names], context)
            message = email_message(subject=subject, text=body, to=[application.applicant.email])
        message.send()
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
        return True
