"""Celery work for monitoring: daily report reminders (beat), each email sent at most once.

`monitoring_send_reminders` writes the day's reminder rows and queues one email task per row after the
transaction commits; `report_reminder_email` takes the row's lock and skips a reminder already sent, so
either task may run twice.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import ReportReminder
from .services import reminders_create


@shared_task
def monitoring_send_reminders() -> int:
    with transaction.atomic():
        created = reminders_create(today=timezone.localdate())
        for reminder_id in created:
            report_reminder_email.delay_on_commit(reminder_id)
    return len(created)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def report_reminder_email(reminder_id: int) -> bool:
    with transaction.atomic():
        reminder = (
            ReportReminder.objects.select_for_update(of=("self",))
            .select_related("report__grant__application__applicant", "report__grant__call")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        report = reminder.report
        application = report.grant.application
        with translation.override(application.language):
            context = {
                "reminder": reminder,
                "report": report,
                "application": application,
                "url": settings.SITE_URL.rstrip("/") + reverse("monitoring:report_edit", args=[report.pk]),
            }
            subject = render_to_string("emails/monitoring_reminder_subject.txt", context).strip()
            body = render_to_string("emails/monitoring_reminder.txt", context)
        EmailMessage(subject=subject, body=body, to=[application.applicant.email]).send()
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
        return True
