"""Grants, decisions and letters, each made by the service that makes it in the programme, so an object
comes with the state around it: an approved grant's application is approved and its decision recorded,
a ready letter has its file and SHA-256."""

import io
from functools import cache

import factory
import pikepdf

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.decisions.services import grant_approve, grant_decline, grant_keep_waitlisted, waitlist_promote
from grants.enums import DecisionOutcome, DeclineReason, LetterKind
from grants.letters.rendering import LETTER_ATTEMPTS, letter_failed, letter_store
from grants.letters.services import letter_issue

from .accounts import UserFactory
from .applications import CallFactory
from .reviews import recommended_application

S = ApplicationStatus


class GrantFactory(factory.django.DjangoModelFactory):
    """A grant approved by an approver (`grant_approve`) on a recommended application with a submitted plan
    (`recommended_application`), whose figures it copies; state the grant through that application."""

    class Meta:
        model = "grants.Grant"

    application = factory.LazyFunction(recommended_application)
    approved_by = factory.SubFactory(UserFactory, role=Role.APPROVER)

    @classmethod
    def _create(cls, model_class, *, application, approved_by, **options):
        return grant_approve(application=application, actor=approved_by, **options)


def _decided(outcome: str) -> str:
    return S.WAITLISTED if outcome == DecisionOutcome.PROMOTED else S.RECOMMENDED


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision made by its service on an application the ranking left recommended: `outcome` approved
    (`grant_approve`, the default), declined (`grant_decline`, for `reason`), kept on the waiting list
    (`grant_keep_waitlisted`), or promoted from it (`waitlist_promote`: by an officer, of a waitlisted one)."""

    class Meta:
        model = "grants.Decision"

    outcome = DecisionOutcome.APPROVED
    application = factory.LazyAttribute(lambda o: recommended_application(status=_decided(o.outcome)))
    decided_by = factory.LazyAttribute(
        lambda o: UserFactory(role=Role.PROGRAMME_OFFICER if o.outcome == DecisionOutcome.PROMOTED else Role.APPROVER)
    )
    reason = factory.LazyAttribute(lambda o: DeclineReason.SCORE if o.outcome == DecisionOutcome.DECLINED else "")
    note = ""

    @classmethod
    def _create(cls, model_class, *, outcome, application, decided_by, reason, note):
        if outcome == DecisionOutcome.APPROVED:
            grant = grant_approve(application=application, actor=decided_by, note=note)
            return model_class.objects.get(grant=grant)
        if outcome == DecisionOutcome.DECLINED:
            return grant_decline(application=application, actor=decided_by, reason=reason, note=note)
        if outcome == DecisionOutcome.KEPT_WAITLISTED:
            return grant_keep_waitlisted(application=application, actor=decided_by, note=note)
        return waitlist_promote(application=application, actor=decided_by, note=note)


class LetterBatchFactory(factory.django.DjangoModelFactory):
    """An officer's request for a call's award letters; letters join it as they are issued
    (`LetterFactory(batch=...)`). What `letters_batch_start` records before it issues and queues them."""

    class Meta:
        model = "grants.LetterBatch"

    call = factory.SubFactory(CallFactory)
    kind = LetterKind.AWARD
    requested_by = factory.SubFactory(UserFactory, role=Role.PROGRAMME_OFFICER)


@cache
def letter_pdf() -> bytes:
    """A real one-page PDF (A4, blank), small enough to store for every letter a test makes ready."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595.28, 841.89))
    buffer = io.BytesIO()
    pdf.save(buffer, static_id=True)
    return buffer.getvalue()


def letter_rendered(letter):
    """The pending `letter` as rendering leaves it: `letter_pdf()` stored with its SHA-256 (`letter_store`)."""
    letter_store(letter, letter_pdf())
    letter.refresh_from_db()
    return letter


def letter_given_up(letter, *, error: str):
    """The pending `letter` after every attempt to render it failed with `error` (`letter_failed`): failed."""
    for attempt in range(LETTER_ATTEMPTS):
        letter_failed(letter_id=letter.pk, error=error, final=attempt == LETTER_ATTEMPTS - 1)
    letter.refresh_from_db()
    return letter


def _decided_application(kind: str):
    if kind == LetterKind.AWARD:
        return GrantFactory().application
    return DecisionFactory(outcome=DecisionOutcome.DECLINED).application


class LetterFactory(factory.django.DjangoModelFactory):
    """Version 1 of an application's letter of `kind`, issued by an officer (`letter_issue`) and pending;
    by default to a new application with the decision the letter states (an approved grant, or a decline).

    `ready=True` stores `letter_pdf()` as rendering stores a letter (`letter_store`: the file, its SHA-256;
    an award letter makes an approved application awarded). `failed=True` records every attempt failing
    with `error` (`letter_failed`), until the letter shows as failed.
    """

    class Meta:
        model = "grants.Letter"

    kind = LetterKind.AWARD
    application = factory.LazyAttribute(lambda o: _decided_application(o.kind))
    requested_by = factory.SubFactory(UserFactory, role=Role.PROGRAMME_OFFICER)
    batch = None
    ready = False
    failed = False
    error = "Timeout"

    @classmethod
    def _create(cls, model_class, *, kind, application, requested_by, batch, ready, failed, error):
        if ready and failed:
            raise ValueError("A letter is ready or failed, not both.")
        letter = letter_issue(application=application, kind=kind, actor=requested_by, batch=batch)
        if ready:
            return letter_rendered(letter)
        if failed:
            return letter_given_up(letter, error=error)
        return letter
