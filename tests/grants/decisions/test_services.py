"""Grant decisions: budget, agreement numbers, the two-person rule and the moves they make."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.services import application_move
from grants.decisions.selectors import call_committed, recommenders
from grants.decisions.services import (
    grant_approve,
    grant_decline,
    grant_keep_waitlisted,
    grants_approve_bulk,
    waitlist_promote,
)
from grants.enums import DecisionOutcome, DeclineReason
from grants.exceptions import BudgetExceeded, DecisionError
from grants.models import Decision, Grant
from reviews.models import ConfirmationRole, RankingConfirmation
from tests.factories import CallFactory, UserFactory, recommended_application

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_grant_approve_copies_the_frozen_figures_and_numbers_the_agreement(approver):
    call = CallFactory(cycle_year=2021, reference_prefix="1P1", budget_envelope=Decimal("10000.00"))
    application = recommended_application(
        call=call,
        grant=Decimal("3250.50"),
        equipment=(("Сироварня", 1, Decimal("3000.00")), ("Прес для сиру", 2, Decimal("400.00"))),
    )

    grant = grant_approve(application=application, actor=approver, score=Decimal("4.2500"), rank=1)

    grant.refresh_from_db()
    application.refresh_from_db()
    assert grant.agreement_number == "UA-1P1-2021-0001"
    assert (grant.grant_usd, grant.equipment_usd, grant.own_counted_usd) == (
        Decimal("3250.50"),
        Decimal("3800.00"),
        Decimal("3250.50"),
    )
    assert (grant.match_ratio, grant.cap_usd, grant.score, grant.rank) == (
        Decimal("1.00"),
        Decimal("4000.00"),
        Decimal("4.2500"),
        1,
    )
    assert [(line["item"], line["quantity"], line["total_usd"]) for line in grant.equipment] == [
        ("Сироварня", 1, "3000.00"),
        ("Прес для сиру", 2, "800.00"),
    ]
    assert grant.equipment[0]["usd_per_unit"] == "1.00000000"
    assert [line["amount_usd"] for line in grant.contributions] == ["3250.50"]
    assert application.status == S.APPROVED
    assert list(Decision.objects.values_list("outcome", "grant_id", "decided_by_id")) == [
        (DecisionOutcome.APPROVED, grant.pk, approver.pk)
    ]
    assert call_committed(call) == Decimal("3250.50")


def test_agreement_numbers_run_per_call(approver):
    first_call = CallFactory(cycle_year=2021, reference_prefix="1P1")
    second_call = CallFactory(cycle_year=2022, reference_prefix="1P1")
    a = recommended_application(call=first_call)
    b = recommended_application(call=first_call)
    c = recommended_application(call=second_call)

    numbers = [grant_approve(application=x, actor=approver).agreement_number for x in (a, b, c)]

    assert numbers == ["UA-1P1-2021-0001", "UA-1P1-2021-0002", "UA-1P1-2022-0001"]


def test_grant_approve_refuses_a_grant_beyond_the_remaining_budget(approver):
    call = CallFactory(budget_envelope=Decimal("5000.00"))
    grant_approve(application=recommended_application(call=call, grant=Decimal("3000.00")), actor=approver)
    second = recommended_application(call=call, grant=Decimal("2500.00"))

    with pytest.raises(BudgetExceeded) as refused:
        grant_approve(application=second, actor=approver)

    assert refused.value.message == (
        f"{second.reference} needs USD 2,500.00 but only USD 2,000.00 of the call's budget remains "
        "(envelope USD 5,000.00, committed USD 3,000.00)."
    )
    second.refresh_from_db()
    assert second.status == S.RECOMMENDED
    assert Grant.objects.count() == 1
    call.refresh_from_db()
    assert call.last_agreement_number == 1


def test_a_withdrawn_grant_frees_its_budget(approver):
    call = CallFactory(budget_envelope=Decimal("3000.00"))
    first = recommended_application(call=call, grant=Decimal("3000.00"))
    grant_approve(application=first, actor=approver)
    application_move(first, S.WITHDRAWN, actor=first.applicant, note="Виїхав")

    second = recommended_application(call=call, grant=Decimal("3000.00"))
    grant = grant_approve(application=second, actor=approver)

    assert grant.agreement_number.endswith("-0002")
    assert call_committed(call) == Decimal("3000.00")


def test_only_approvers_decide(officer):
    application = recommended_application()

    with pytest.raises(ActorNotAllowed):
        grant_approve(application=application, actor=officer)
    with pytest.raises(ActorNotAllowed):
        grant_decline(application=application, actor=officer, reason=DeclineReason.BUDGET)


@pytest.mark.parametrize("status", [S.DEFENDED, S.APPROVED, S.DECLINED, S.WITHDRAWN])
def test_only_recommended_or_waitlisted_applications_are_decided(approver, status):
    application = recommended_application(status=status)

    with pytest.raises(DecisionError) as refused:
        grant_approve(application=application, actor=approver)

    assert refused.value.message.startswith(f"{application.reference} is “")
    assert Grant.objects.count() == 0


def test_two_person_rule_refuses_the_officer_who_recommended(approver):
    both = UserFactory(role=Role.PROGRAMME_OFFICER)
    both.groups.add(*approver.groups.all())
    application = recommended_application(status=S.DEFENDED)
    application_move(application, S.RECOMMENDED, actor=both)

    with pytest.raises(DecisionError) as refused:
        grant_approve(application=application, actor=both)

    assert refused.value.message == (
        f"You recommended {application.reference}, and this call needs a second person to approve it."
    )
    assert grant_approve(application=application, actor=approver).grant_usd == Decimal("3000.00")


def test_two_person_rule_refuses_the_chair_who_confirmed_the_ranking(approver):
    application = recommended_application()
    RankingConfirmation.objects.create(
        call=application.call,
        role=ConfirmationRole.CHAIR,
        confirmed_by=approver,
        snapshot=[{"reference": application.reference, "score": "4.0", "outcome": "recommended"}],
    )

    assert recommenders(application) == {approver.pk}
    with pytest.raises(DecisionError):
        grant_approve(application=application, actor=approver)


def test_without_the_two_person_rule_the_recommender_may_approve(approver):
    application = recommended_application(call=CallFactory(two_person_rule=False), status=S.DEFENDED)
    approver.groups.add(*UserFactory(role=Role.PROGRAMME_OFFICER).groups.all())
    application_move(application, S.RECOMMENDED, actor=approver)

    assert grant_approve(application=application, actor=approver).agreement_number.endswith("-0001")


def test_grant_decline_records_the_reason_and_moves(approver):
    application = recommended_application(status=S.WAITLISTED)

    decision = grant_decline(application=application, actor=approver, reason=DeclineReason.BUDGET, note="")

    application.refresh_from_db()
    assert application.status == S.DECLINED
    assert (decision.outcome, decision.reason) == (DecisionOutcome.DECLINED, DeclineReason.BUDGET)
    assert application.status_changes.last().note_text == "The call's budget does not allow this grant"


def test_grant_decline_needs_a_reason_and_a_note_for_other(approver):
    application = recommended_application()

    with pytest.raises(DecisionError) as no_reason:
        grant_decline(application=application, actor=approver, reason="")
    with pytest.raises(DecisionError) as no_note:
        grant_decline(application=application, actor=approver, reason=DeclineReason.OTHER, note="  ")

    assert (no_reason.value.message, no_note.value.message) == (
        "Choose the reason for declining.",
        "Explain the reason in the note.",
    )
    application.refresh_from_db()
    assert application.status == S.RECOMMENDED


def test_keep_waitlisted_moves_a_recommended_one_and_keeps_a_waitlisted_one(approver):
    recommended = recommended_application()
    waitlisted = recommended_application(status=S.WAITLISTED)

    grant_keep_waitlisted(application=recommended, actor=approver, note="Чекаємо бюджету")
    grant_keep_waitlisted(application=waitlisted, actor=approver)

    recommended.refresh_from_db()
    waitlisted.refresh_from_db()
    assert (recommended.status, waitlisted.status) == (S.WAITLISTED, S.WAITLISTED)
    assert waitlisted.status_changes.count() == 0
    assert Decision.objects.filter(outcome=DecisionOutcome.KEPT_WAITLISTED).count() == 2


def test_an_officer_promotes_from_the_waiting_list_and_then_cannot_approve_it(officer, approver):
    application = recommended_application(status=S.WAITLISTED)
    officer.groups.add(*approver.groups.all())

    with pytest.raises(ActorNotAllowed):
        waitlist_promote(application=application, actor=UserFactory(role=Role.APPROVER))
    waitlist_promote(application=application, actor=officer)

    application.refresh_from_db()
    assert application.status == S.RECOMMENDED
    with pytest.raises(DecisionError):
        grant_approve(application=application, actor=officer)


def test_bulk_approval_goes_in_rank_order_and_skips_what_does_not_fit(approver):
    call = CallFactory(budget_envelope=Decimal("7000.00"))
    first = recommended_application(call=call, grant=Decimal("3000.00"))
    second = recommended_application(call=call, grant=Decimal("3000.00"))
    third = recommended_application(call=call, grant=Decimal("3000.00"))
    fourth = recommended_application(call=call, grant=Decimal("1000.00"))

    result = grants_approve_bulk(
        ranked=[(first, None, 1), (second, None, 2), (third, None, 3), (fourth, None, 4)], actor=approver
    )

    assert [grant.application_id for grant in result.approved] == [first.pk, second.pk, fourth.pk]
    assert [application.pk for application, _ in result.skipped] == [third.pk]
    assert result.skipped[0][1].startswith(f"{third.reference} needs USD 3,000.00 but only USD 1,000.00")
    assert call_committed(call) == Decimal("7000.00")
    assert [grant.agreement_number[-4:] for grant in result.approved] == ["0001", "0002", "0003"]
