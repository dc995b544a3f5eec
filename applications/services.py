"""Every write to calls and applications, and every status change, goes through these functions."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import PRIORITY_INDEX, ApplicationPriorityIndex
from common.crypto import blind_index

from .enums import APPLICATION_MOVES, NOTIFY_APPLICANT, ApplicationStatus
from .exceptions import ActorNotAllowed, ApplicationError, InvalidTransition
from .models import (
    Application,
    ApplicationStatusChange,
    Call,
    Consent,
    ConsentNotice,
    EquipmentItem,
    PriorityGroup,
)
from .notes import NOTES
from .submission import missing_sections
from .tasks import notify_status_change

S = ApplicationStatus


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
    APPLICATION_MOVES.check(application, to, actor, invalid=InvalidTransition, not_allowed=ActorNotAllowed)
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
    with transaction.atomic():
        for name, value in fields.items():
            setattr(application, name, value)
        if groups is not None:
            application.priority_answers = sorted(group.code for group in groups)
            fields["priority_answers"] = application.priority_answers
            priority_index_write(application)
        application.save(update_fields=[*fields, "updated_at"])
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


def messages_mark_read(*, application: Application, reader) -> None:
    if reader.pk == application.applicant_id:
        application.messages.filter(read_at__isnull=True).update(read_at=timezone.now())


def priority_index_write(application: Application) -> None:
    """Replace the application's blind indexes by those of its declared groups, under the newest key."""
    ApplicationPriorityIndex.objects.filter(application=application).delete()
    ApplicationPriorityIndex.objects.bulk_create(
        ApplicationPriorityIndex(application=application, token=blind_index(PRIORITY_INDEX, code))
        for code in application.priority_answers or []
    )
