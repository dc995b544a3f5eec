"""Every write of screening: the officer's checklist, shortlisting and rejecting (one by one or in bulk),
and messages to applicants. Status changes go through applications.services.application_move."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role
from applications.enums import MOVE_ACTORS, ApplicationStatus, OfficerCheck
from applications.exceptions import ActorNotAllowed, ApplicationError
from applications.models import Application, Message
from applications.services import application_move

S = ApplicationStatus


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
