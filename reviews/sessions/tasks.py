"""Defense invitations and reminders by email, in the applicant's language. Safe to run twice: each
slot row is locked and stamped when its email goes, and a stamped slot is not emailed again."""

from datetime import datetime, timedelta
from email.mime.text import MIMEText

from celery import shared_task
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.email import email_context, email_message
from reviews.enums import SlotStatus
from reviews.models import DefenseSlot

from .ics import invitation_ics


def _context(slot: DefenseSlot) -> dict:
    session = slot.session
    starts = timezone.localtime(slot.starts_at, timezone.get_default_timezone())
    return {
        "slot": slot,
        "session": session,
        "application": slot.application,
        "date": f"{starts:%d.%m.%Y}",
        "time": f"{starts:%H:%M}",
        "ends": f"{starts + timedelta(minutes=session.slot_minutes):%H:%M}",
        **email_context(),
    }


def _render(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
    return subject, render_to_string(f"emails/{name}.txt", context)


def _calendar_part(ics: str) -> MIMEText:
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part


def _locked_slot(slot_id: int, **unsent) -> DefenseSlot | None:
    return (
        DefenseSlot.objects.select_for_update(of=("self",))
        .select_related("session", "application__applicant", "application__call")
        .filter(pk=slot_id, status=SlotStatus.SCHEDULED, session__cancelled_at__isnull=True, **unsent)
        .first()
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_defense_invitation(slot_id: int) -> bool:
    """Email the invitation with its calendar event, once per slot; False when there is nothing to send
    (already sent, or the slot was cancelled in the meantime)."""
    with transaction.atomic():
        slot = _locked_slot(slot_id, invited_at__isnull=True)
        if slot is None:
            return False
        application = slot.application
        with translation.override(application.language):
            subject, body = _render("defense_invitation", _context(slot))
            ics = invitation_ics(slot)
            message = email_message(subject=subject, text=body, to=[application.applicant.email])
        message.attach(_calendar_part(ics))
        message.send()
        slot.invited_at = timezone.now()
        slot.save(update_fields=["invited_at"])
        return True


def _send_reminder(slot_id: int) -> bool:
    with transaction.atomic():
        slot = _locked_slot(slot_id, reminded_at__isnull=True)
        if slot is None:
            return False
        application = slot.application
        with translation.override(application.language):
            subject, body = _render("defense_reminder", _context(slot))
            message = email_message(subject=subject, text=body, to=[application.applicant.email])
        message.send()
        slot.reminded_at = timezone.now()
        slot.save(update_fields=["reminded_at"])
        return True


@shared_task
def send_defense_reminders() -> int:
    """Remind everyone whose scheduled slot is tomorrow, Kyiv date; run daily by Celery beat.
    Returns how many reminders went out."""
    tomorrow = timezone.localdate(timezone=timezone.get_default_timezone()) + timedelta(days=1)
    day_starts = datetime.combine(tomorrow, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    day_ends = datetime.combine(
        tomorrow + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_default_timezone()
    )
    slot_ids = DefenseSlot.objects.filter(
        status=SlotStatus.SCHEDULED,
        session__cancelled_at__isnull=True,
        reminded_at__isnull=True,
        starts_at__gte=day_starts,
        starts_at__lt=day_ends,
    ).values_list("pk", flat=True)
    return sum(_send_reminder(slot_id) for slot_id in list(slot_ids))
