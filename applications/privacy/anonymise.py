"""Anonymising an application and a person, and deleting an abandoned draft.

**What goes**: names, date of birth, phone, town or village, hromada, every free text (the story of work
abroad, the business idea, notes, messages, comments, plan sections), every stored file (evidence, quotes,
plan PDFs, letters), the consent records, and the link to the person's account.
**What stays** (legal duty and aggregates): the application's reference, call, status and its history of
moves (without notes), oblast, sector, gender, year of birth, countries and years abroad, declared
priority groups (still encrypted), the money figures, the equipment requested, and the grant records
(agreement number, amounts, equipment bought: the programme's financial records). What every other app
removes or keeps is in its own personal_data.py (applications.privacy.registry).

Everything is written in one transaction; the files are deleted once it commits. The access log keeps a
row for each anonymisation: who, when, why.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..audit.actions import AccessAction
from ..audit.services import access_log_many
from ..enums import ALLOWED_MOVES, ApplicationStatus
from ..models import AccessLogEntry, Application, ApplicationStatusChange, Consent, Message
from ..services import application_move
from .registry import sources

BLANKED = (
    "first_name",
    "last_name",
    "patronymic",
    "phone",
    "hromada",
    "settlement",
    "migration_experience",
    "idea_title",
    "idea_description",
    "migration_evidence",
    "migration_evidence_type",
)


def _delete_files_after_commit(names: list[str], storage) -> None:
    names = sorted({name for name in names if name})

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def application_anonymise(*, application: Application, actor, action: str, reason: str) -> Application:
    """Anonymise one application (see the module docstring). Idempotent: an anonymised one is left alone."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.anonymised_at is not None:
            return application
        evidence = application.migration_evidence
        files = [evidence.name] if evidence else []
        for source in sources():
            files.extend(source.anonymise(application) or [])
        for name in BLANKED:
            setattr(application, name, "")
        application.date_of_birth = None
        application.applicant = None
        application.anonymised_at = timezone.now()
        application.save(update_fields=[*BLANKED, "date_of_birth", "applicant", "anonymised_at", "updated_at"])
        ApplicationStatusChange.objects.filter(application=application).update(note="")
        Message.objects.filter(application=application).update(body="")
        Consent.objects.filter(application=application).delete()
        access_log_many(user=actor, applications=[application], action=action, reason=reason)
        _delete_files_after_commit(files, evidence.storage)
    return application


def draft_delete(*, application: Application, actor, reason: str) -> None:
    """Delete a draft and its file (drafts are nobody's record yet: nothing needs keeping)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.DRAFT:
            return
        evidence = application.migration_evidence
        AccessLogEntry(
            user=actor, action=AccessAction.DRAFT_DELETED, detail=f"#{application.pk}", reason=reason[:500]
        ).save()
        _delete_files_after_commit([evidence.name] if evidence else [], evidence.storage)
        application.delete()


def person_anonymise(*, user, actor, reason: str) -> list[Application]:
    """Erase a person: withdraw what is still running, anonymise every application, delete drafts, and
    anonymise the account (it can no longer sign in). Runs in the caller's transaction."""
    done = []
    for application in list(Application.objects.filter(applicant=user).order_by("pk")):
        if application.status == ApplicationStatus.DRAFT:
            draft_delete(application=application, actor=actor, reason=reason)
            continue
        if ApplicationStatus.WITHDRAWN in ALLOWED_MOVES[application.status]:
            # On the person's own request: withdrawn in their name, as they would from their dashboard.
            application_move(application, ApplicationStatus.WITHDRAWN, actor=user)
        done.append(
            application_anonymise(application=application, actor=actor, action=AccessAction.ANONYMISED, reason=reason)
        )
    account_anonymise(user)
    return done


def account_anonymise(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@invalid.example"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    get_user_model().objects.filter(pk=user.pk).update(
        email=user.email, first_name="", last_name="", is_active=False, password=user.password
    )
