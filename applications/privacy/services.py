"""A person's say over their data: consents given and withdrawn after the draft, erasure requests.

Every write here checks who acts: the person for their own consents and requests, a programme officer
for deciding a request (applications.privacy.anonymise does the anonymising itself).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.enums import ErasureStatus
from applications.models import Application, Consent, ErasureRequest

from ..exceptions import ActorNotAllowed, ApplicationError
from .anonymise import person_anonymise
from .selectors import latest_notices
from .tasks import notify_erasure_outcome


class PrivacyError(ApplicationError):
    """A request about personal data the rules refuse; `message` says why, for the user."""


def _own(application: Application, actor) -> None:
    if application.applicant_id != actor.pk:
        raise ActorNotAllowed(_("Only the applicant can change their consents."))
    if application.anonymised_at is not None:
        raise PrivacyError(_("This application is anonymised."))


@transaction.atomic
def consent_give(*, application: Application, purpose: str, actor) -> Consent:
    """Consent to an optional purpose under its newest notice; giving it again changes nothing."""
    _own(application, actor)
    notice = latest_notices().get(purpose)
    if notice is None:
        raise PrivacyError(_("There is no notice for this purpose."))
    active = application.consents.filter(notice__purpose=purpose, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    return Consent.objects.create(user=actor, application=application, notice=notice, language=application.language)


@transaction.atomic
def consent_withdraw(*, application: Application, purpose: str, actor) -> int:
    """Withdraw consent to an optional purpose; it takes effect at once (applications.privacy.selectors).

    The consent to processing the application itself cannot be withdrawn while the application exists:
    withdrawing the application, or an erasure request, is how a person stops that processing."""
    _own(application, actor)
    notice = latest_notices().get(purpose)
    if notice is None or notice.required:
        raise PrivacyError(
            _(
                "Processing your application needs this consent. To stop it, withdraw the application "
                "or ask us to erase your data."
            )
        )
    return application.consents.filter(notice__purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def erasure_request_create(*, user, note: str = "") -> ErasureRequest:
    """Ask the programme to erase the person's data; one open request at a time."""
    with transaction.atomic():
        open_request = ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).first()
        if open_request is not None:
            raise PrivacyError(_("Your request is already with the programme; you will hear from us."))
        return ErasureRequest.objects.create(
            user=user, note=note.strip(), notify_email=user.email, language=user.preferred_language
        )


def ensure_officer(actor) -> None:
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only programme officers decide on erasure requests."))


# An erasure request is decided once: pending → done (the data erased) or refused. The decision's stamps
# (decided_by, decided_at, outcome_note) are the move's record, and erasing writes the access log.
ERASURE_MOVES = {ErasureStatus.PENDING: frozenset({ErasureStatus.DONE, ErasureStatus.REFUSED})}


@transaction.atomic
def erasure_request_move(*, request: ErasureRequest, to: str, actor, note: str) -> ErasureRequest:
    """The one writer of `ErasureRequest.status`; moving to done erases the person's data first."""
    ensure_officer(actor)
    request = ErasureRequest.objects.select_for_update(of=("self",)).select_related("user").get(pk=request.pk)
    if to not in ERASURE_MOVES.get(request.status, frozenset()):
        raise PrivacyError(_("This request is already decided."))
    if to == ErasureStatus.DONE:
        person_anonymise(user=request.user, actor=actor, reason=_("Erasure request #%(pk)s") % {"pk": request.pk})
    request.status = to
    request.decided_by, request.decided_at, request.outcome_note = actor, timezone.now(), note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "outcome_note"])
    notify_erasure_outcome.delay_on_commit(request.pk)
    return request


def erasure_refuse(*, request: ErasureRequest, actor, reason: str) -> ErasureRequest:
    """Refuse a request (a legal duty keeps the data, say), telling the person why."""
    ensure_officer(actor)
    if not reason.strip():
        raise PrivacyError(_("Tell the person why the request is refused."))
    return erasure_request_move(request=request, to=ErasureStatus.REFUSED, actor=actor, note=reason)


def erasure_complete(*, request: ErasureRequest, actor, message: str = "") -> ErasureRequest:
    """Erase what no legal duty keeps (applications.privacy.anonymise) and tell the person."""
    return erasure_request_move(request=request, to=ErasureStatus.DONE, actor=actor, note=message)
