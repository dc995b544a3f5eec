"""The own contribution proven line by line, and the 1+1 match recomputed on what was verified."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.exceptions import ActorNotAllowed
from procurement.contributions.match import verified_match
from procurement.contributions.services import evidence_add, proof_reject, proof_verify
from procurement.enums import ProofStatus
from procurement.exceptions import ProcurementError
from procurement.models import ContributionEvidence, ContributionMatch
from procurement.services import procurement_open
from tests.factories import UserFactory
from tests.factories.after_award import awarded_grant, pdf_upload, usd_rate

D = Decimal
ON = date(2025, 3, 14)


def opened(officer, **kwargs):
    grant = awarded_grant(**kwargs)
    procurement_open(grant=grant, actor=officer)
    return grant


@pytest.mark.django_db
def test_the_participant_uploads_evidence_and_the_line_goes_to_the_officer(officer):
    grant = opened(officer)
    proof = grant.contribution_proofs.get()

    evidence_add(proof=proof, actor=grant.application.applicant, upload=pdf_upload(), note="Виписка з банку")

    proof.refresh_from_db()
    assert (proof.status, proof.evidence.get().content_type, proof.evidence.get().note) == (
        ProofStatus.SUBMITTED,
        "application/pdf",
        "Виписка з банку",
    )
    assert not proof.evidence.get().file.name.endswith("receipt.pdf")  # stored under a random name


@pytest.mark.django_db
def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(officer):
    grant = opened(officer)
    proof = grant.contribution_proofs.get()
    fake = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(ProcurementError, match="not a real PDF, JPEG or PNG"):
        evidence_add(proof=proof, actor=grant.application.applicant, upload=fake)
    proof.refresh_from_db()
    assert (proof.status, ContributionEvidence.objects.count()) == (ProofStatus.AWAITING, 0)


@pytest.mark.django_db
def test_nobody_else_uploads_for_the_participant(officer):
    grant = opened(officer)

    with pytest.raises(ActorNotAllowed):
        evidence_add(proof=grant.contribution_proofs.get(), actor=UserFactory(), upload=pdf_upload())


@pytest.mark.django_db
def test_verifying_part_of_the_money_leaves_a_shortfall_with_what_closes_it(officer):
    grant = opened(officer, equipment=(("Піч", 1, D("3000.00")),), contributions=(("cash", D("3000.00")),))
    proof = grant.contribution_proofs.get()
    usd_rate(ON, "40.00")

    proof_verify(proof=proof, actor=officer, amount=D("100000.00"), currency="UAH", on=ON)

    match = ContributionMatch.objects.get(grant=grant)
    assert (match.cash_verified_usd, match.counted_usd, match.grant_usd, match.shortfall_usd) == (
        D("2500.00"),
        D("2500.00"),
        D("2500.00"),
        D("500.00"),
    )
    proof.refresh_from_db()
    assert (proof.verified_usd_per_unit, proof.verified_rate_date) == (D("0.02500000"), ON)


@pytest.mark.django_db
def test_in_kind_counts_only_up_to_the_calls_share(officer):
    grant = opened(
        officer,
        equipment=(("Піч", 1, D("3000.00")),),
        contributions=(("cash", D("2100.00")), ("in_kind", D("1500.00"))),
        call__in_kind_allowed=True,
        call__in_kind_max_share=D("0.3"),
    )
    cash, in_kind = grant.contribution_proofs.order_by("line_id")

    proof_verify(proof=cash, actor=officer, amount=D("2100.00"), currency="USD", on=ON)
    proof_verify(proof=in_kind, actor=officer, amount=D("1200.00"), currency="USD", on=ON, note="Оцінка приміщення")

    match = ContributionMatch.objects.get(grant=grant)
    assert (match.in_kind_verified_usd, match.counted_usd, match.grant_usd, match.shortfall_usd) == (
        D("1200.00"),
        D("3000.00"),
        D("3000.00"),
        D("0.00"),
    )


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_the_participant_can_bring_more(officer):
    grant = opened(officer)
    proof = grant.contribution_proofs.get()
    applicant = grant.application.applicant
    evidence_add(proof=proof, actor=applicant, upload=pdf_upload())

    with pytest.raises(ProcurementError, match="Say why"):
        proof_reject(proof=proof, actor=officer, reason="  ")
    proof_reject(proof=proof, actor=officer, reason="Виписка не показує ваше ім'я.")
    evidence_add(proof=proof, actor=applicant, upload=pdf_upload("statement.pdf"))

    assert list(proof.status_changes.values_list("from_status", "to_status")) == [
        (ProofStatus.AWAITING, ProofStatus.SUBMITTED),
        (ProofStatus.SUBMITTED, ProofStatus.REJECTED),
        (ProofStatus.REJECTED, ProofStatus.SUBMITTED),
    ]


@pytest.mark.django_db
def test_only_officers_verify(officer, approver):
    grant = opened(officer)

    with pytest.raises(ActorNotAllowed):
        proof_verify(proof=grant.contribution_proofs.get(), actor=approver, amount=D("1"), currency="USD", on=ON)


@pytest.mark.django_db
def test_the_database_refuses_a_match_above_the_verified_contribution(officer):
    grant = opened(officer)
    match = ContributionMatch.objects.get(grant=grant)
    match.grant_usd, match.shortfall_usd = D("100.00"), match.equipment_usd - D("100.00")

    with pytest.raises(IntegrityError), transaction.atomic():
        match.save()


money = st.decimals(min_value=0, max_value=20000, places=2)
positive = st.decimals(min_value=D("0.01"), max_value=20000, places=2)


@settings(max_examples=300, deadline=None)
@given(
    cash=money,
    in_kind=money,
    equipment=money,
    ratio=st.sampled_from([D("1"), D("1.5"), D("2"), D("0.5")]),
    cap=positive,
    share=st.sampled_from([D("0"), D("0.3"), D("0.5"), D("1")]),
)
def test_the_verified_match_never_exceeds_a_bound_and_its_remedy_closes_exactly(
    cash, in_kind, equipment, ratio, cap, share
):
    rules = {"ratio": ratio, "cap": cap, "in_kind_allowed": True, "in_kind_max_share": share}
    match = verified_match(cash=cash, in_kind=in_kind, equipment_cost=equipment, **rules)

    assert match.grant_usd <= min(equipment, cap, ratio * match.counted_usd)
    assert match.shortfall_usd == equipment - match.grant_usd >= 0
    closed = verified_match(cash=cash + match.extra_cash_to_close, in_kind=in_kind, equipment_cost=equipment, **rules)
    assert closed.shortfall_usd == match.above_cap_usd
    if match.extra_cash_to_close > 0:
        short = verified_match(
            cash=cash + match.extra_cash_to_close - D("0.01"), in_kind=in_kind, equipment_cost=equipment, **rules
        )
        assert short.shortfall_usd > match.above_cap_usd


@pytest.mark.django_db
def test_an_officer_rejects_a_line_verified_before_with_a_reason(officer):
    """Correcting a verification by rejecting it: found by tests/onepluone/test_fuzz_forms.py, a 500 before
    (the verified amount was cleared while the line was still verified)."""
    from tests.factories.after_award import delivered_grant

    grant = delivered_grant(officer=officer)
    proof = grant.contribution_proofs.first()

    proof = proof_reject(proof=proof, actor=officer, reason="Квитанція не та")

    assert (proof.status, proof.verified_usd, proof.rejection_reason) == ("rejected", None, "Квитанція не та")
