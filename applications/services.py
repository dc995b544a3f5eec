"""Every write to calls and applications, and every status change, goes through these functions."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role

from .enums import ALLOWED_MOVES, MOVE_ACTORS, NOTIFY_APPLICANT, OWNER, ApplicationStatus, OfficerCheck
from .exceptions import ActorNotAllowed, ApplicationError, InvalidTransition
from .models import (
    AccessLogEntry,
    Application,
    ApplicationStatusChange,
    Call,
    Consent,
    ConsentNotice,
    EquipmentItem,
    Message,
    PriorityGroup,
)
from .notes import NOTES
from .submission import missing_sections

S = ApplicationStatus


def actor_may_move(actor, application: Application, to: str) -> bool:
    allowed = MOVE_ACTORS.get(to, frozenset())
    if OWNER in allowed and actor.pk == application.applicant_id:
        return True
    return has_role(actor, *(role for role in allowed if role != OWNER))


@transaction.atomic
def application_move(
    application: Application,
    to: str,
    *,
    actor,
    note: str = "",
    note_code: str = "",
    note_params: dict | None = None,
) -> ApplicationStatusChange:
    """Move an application along the journey. The only code that assigns `Application.status`.

    `note` is a person's words; a note the system writes is `note_code` (applications.notes) with
    `note_params`, worded in each reader's language when read."""
    if note_code and note_code not in NOTES:
        raise ValueError(f"unknown system note {note_code!r}")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if to not in ALLOWED_MOVES[application.status]:
        raise InvalidTransition(application.status, to)
    if not actor_may_move(actor, application, to):
        raise ActorNotAllowed(_("You may not make this change."))
    change = ApplicationStatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=to,
        actor=actor,
        note=note,
        note_code=note_code,
        note_params=note_params or {},
    )
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    if to in NOTIFY_APPLICANT:
        from .tasks import notify_status_change

        notify_status_change.delay_on_commit(change.pk)
    return change


def call_save(*, call: Call, priority_groups: Iterable[PriorityGroup] | None = None) -> Call:
    call.full_clean()
    call.save()
    if priority_groups is not None:
        call.priority_groups.set(priority_groups)
    return call


def application_start(*, call: Call, applicant) -> tuple[Application, bool]:
    """The applicant's draft in this call, created if there is none yet (one per applicant per call)."""
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing:
        return existing, False
    if not call.is_open():
        raise ApplicationError(_("This call is not open for applications."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                applicant=applicant,
                language=applicant.preferred_language,
                first_name=applicant.first_name,
                last_name=applicant.last_name,
            )
    except IntegrityError:
        return Application.objects.get(call=call, applicant=applicant), False
    return application, True


def _ensure_editable(application: Application, actor) -> None:
    if actor.pk != application.applicant_id:
        raise ActorNotAllowed(_("Only the applicant can edit this application."))
    if not application.is_draft:
        raise ApplicationError(_("A submitted application can no longer be changed."))


def application_update(*, application: Application, actor, fields: dict) -> Application:
    """Save some fields of a draft: what is valid is kept even when other fields of the step are not."""
    _ensure_editable(application, actor)
    groups = fields.pop("priority_groups", None)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated_at"])
    if groups is not None:
        application.priority_groups.set(groups)
    return application


@transaction.atomic
def application_equipment_replace(*, application: Application, actor, items: list[dict]) -> None:
    _ensure_editable(application, actor)
    application.equipment.all().delete()
    EquipmentItem.objects.bulk_create(EquipmentItem(application=application, **item) for item in items)


@transaction.atomic
def application_consents_set(
    *, application: Application, actor, notices: Iterable[ConsentNotice], agreed: Iterable[ConsentNotice]
) -> None:
    """Record agreement to these notice versions and withdrawal from the others shown.

    A version already agreed to is not recorded twice; a withdrawal keeps the row and stamps it.
    """
    _ensure_editable(application, actor)
    agreed_ids = {notice.pk for notice in agreed}
    current = {consent.notice_id: consent for consent in application.consents.filter(withdrawn_at__isnull=True)}
    Consent.objects.bulk_create(
        Consent(user=actor, application=application, notice=notice, language=application.language)
        for notice in notices
        if notice.pk in agreed_ids and notice.pk not in current
    )
    withdrawn = [current[notice.pk].pk for notice in notices if notice.pk not in agreed_ids and notice.pk in current]
    Consent.objects.filter(pk__in=withdrawn).update(withdrawn_at=timezone.now())


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Submit a complete draft while its call is open, giving it the call's next reference."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application, actor)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    now = timezone.now()
    if not call.is_open(now):
        raise ApplicationError(
            _("The call closed on %(date)s; applications can no longer be submitted.")
            % {"date": timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")}
        )
    missing = missing_sections(application)
    if missing:
        raise ApplicationError(
            _("Please complete these sections first: %(sections)s.") % {"sections": ", ".join(missing)}
        )
    call.last_reference_number += 1
    call.save(update_fields=["last_reference_number"])
    application.reference = f"{call.reference_prefix}-{call.cycle_year}-{call.last_reference_number:04d}"
    application.submitted_at = now
    application.save(update_fields=["reference", "submitted_at", "updated_at"])
    application_move(application, S.SUBMITTED, actor=actor)
    application.refresh_from_db()
    return application


def application_withdraw(*, application: Application, actor, note: str = "") -> None:
    application_move(application, S.WITHDRAWN, actor=actor, note=note)


def application_screening_save(*, application: Application, actor, checks: Iterable[str]) -> None:
    if not has_role(actor, *MOVE_ACTORS[S.SHORTLISTED]):
        raise ActorNotAllowed(_("Only programme officers screen applications."))
    application.officer_checks = {check: True for check in checks if check in OfficerCheck.values}
    application.screened_by = actor
    application.screened_at = timezone.now()
    application.save(update_fields=["officer_checks", "screened_by", "screened_at", "updated_at"])


@transaction.atomic
def application_shortlist(*, application: Application, actor, note: str = "") -> None:
    application_move(application, S.SHORTLISTED, actor=actor, note=note)


@transaction.atomic
def application_reject(*, application: Application, actor, reason: str, note: str = "") -> None:
    if not reason:
        raise ApplicationError(_("Give a reason for the rejection."))
    application_move(application, S.REJECTED, actor=actor, note=note)
    Application.objects.filter(pk=application.pk).update(rejection_reason=reason)


def application_screen_bulk(
    *, applications: Iterable[Application], actor, action: str, reason: str = "", note: str = ""
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Shortlist or reject several applications; each one succeeds or fails on its own."""
    done, failed = [], []
    for application in applications:
        try:
            if action == "shortlist":
                application_shortlist(application=application, actor=actor, note=note)
            else:
                application_reject(application=application, actor=actor, reason=reason, note=note)
        except ApplicationError as error:
            failed.append((application, error.message))
        else:
            done.append(application)
    return done, failed


def message_send(*, application: Application, sender, body: str) -> Message:
    if not has_role(sender, *MOVE_ACTORS[S.SHORTLISTED]):
        raise ActorNotAllowed(_("Only programme staff send messages to applicants."))
    return Message.objects.create(application=application, sender=sender, body=body)


def messages_mark_read(*, application: Application, reader) -> None:
    if reader.pk == application.applicant_id:
        application.messages.filter(read_at__isnull=True).update(read_at=timezone.now())


def access_log(*, user, application: Application, action: str) -> None:
    """Audit a view or download of personal data by anyone but the person it belongs to."""
    if user.pk != application.applicant_id:
        AccessLogEntry.objects.create(user=user, application=application, action=action)
