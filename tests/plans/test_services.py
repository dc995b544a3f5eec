from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import ApplicationStatusChange
from applications.tasks import notify_status_change
from plans import services
from plans.enums import VersionStatus
from plans.exceptions import PlanError
from plans.models import PlanVersion
from tests.factories import (
    ContributionLineFactory,
    EquipmentLineFactory,
    ExchangeRateFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def complete_draft(**call_rules) -> PlanVersion:
    application = shortlisted_application(**{f"call__{k}": v for k, v in call_rules.items()})
    return PlanVersionFactory(plan__application=application, complete=True)


def test_plan_draft_starts_version_one_once_shortlisted():
    application = shortlisted_application()

    first = services.plan_draft(application=application, actor=application.applicant)
    again = services.plan_draft(application=application, actor=application.applicant)

    assert (first.number, first.status, again.pk) == (1, VersionStatus.DRAFT, first.pk)


def test_plan_draft_is_refused_before_shortlisting():
    application = submitted_application()

    with pytest.raises(PlanError, match="once the application is shortlisted"):
        services.plan_draft(application=application, actor=application.applicant)


def test_someone_else_cannot_write_the_plan():
    version = complete_draft()

    with pytest.raises(ActorNotAllowed):
        services.plan_update(version=version, actor=UserFactory(), fields={"summary": "чуже"})


def test_submit_converts_every_line_at_todays_rates_and_stores_the_grant():
    today = timezone.localdate()
    ExchangeRateFactory(currency="USD", date=today, uah_per_unit=Decimal("40.000000"))
    ExchangeRateFactory(currency="EUR", date=today, uah_per_unit=Decimal("44.000000"))
    version = complete_draft()
    version.equipment_lines.all().delete()
    version.contribution_lines.all().delete()
    EquipmentLineFactory(version=version, item="Піч", unit_price=Decimal("52000.00"), currency="UAH", quantity=2)
    EquipmentLineFactory(version=version, item="Тістоміс", unit_price=Decimal("1800.00"), currency="EUR")
    ContributionLineFactory(version=version, amount=Decimal("2500.00"), currency="USD")
    application = version.plan.application

    submitted = services.plan_submit(version=version, actor=application.applicant)

    lines = list(submitted.equipment_lines.values_list("item", "usd_per_unit", "rate_date", "total_usd"))
    assert lines == [
        ("Піч", Decimal("0.02500000"), today, Decimal("2600.00")),
        ("Тістоміс", Decimal("1.10000000"), today, Decimal("1980.00")),
    ]
    assert (submitted.status, submitted.rates_date) == (VersionStatus.SUBMITTED, today)
    assert (submitted.equipment_usd, submitted.own_cash_usd, submitted.own_counted_usd, submitted.grant_usd) == (
        Decimal("4580.00"),
        Decimal("2500.00"),
        Decimal("2500.00"),
        Decimal("2500.00"),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PLAN_SUBMITTED


def test_submit_lists_what_is_missing_and_freezes_nothing():
    version = complete_draft()
    version.risks = ""
    version.save()
    version.equipment_lines.update(quote="")

    with pytest.raises(PlanError) as error:
        services.plan_submit(version=version, actor=version.plan.application.applicant)

    assert error.value.message == (
        "The plan still needs: Risks and how you will handle them; a supplier quote for every item of equipment."
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_submit_without_an_official_rate_tells_which_rate_is_missing():
    version = complete_draft()
    version.equipment_lines.update(currency="PLN")

    with pytest.raises(PlanError, match="PLN"):
        services.plan_submit(version=version, actor=version.plan.application.applicant)

    version.refresh_from_db()
    assert (version.status, version.grant_usd) == (VersionStatus.DRAFT, None)


def test_submit_below_the_calls_minimum_grant_is_refused_with_the_reason():
    version = complete_draft(min_grant=Decimal("500.00"))
    version.contribution_lines.update(amount=Decimal("300.00"))

    with pytest.raises(PlanError, match="minimum"):
        services.plan_submit(version=version, actor=version.plan.application.applicant)


def test_return_keeps_the_submitted_version_and_opens_a_copy_for_revision():
    version = complete_draft()
    applicant = version.plan.application.applicant
    services.plan_submit(version=version, actor=applicant)
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)

    draft = services.plan_return(version=version, actor=officer, note="Додайте третю комерційну пропозицію.")

    version.refresh_from_db()
    assert (version.status, version.return_note, version.grant_usd) == (
        VersionStatus.RETURNED,
        "Додайте третю комерційну пропозицію.",
        Decimal("3000.00"),
    )
    assert (draft.number, draft.status, draft.summary, draft.projection) == (
        2,
        VersionStatus.DRAFT,
        version.summary,
        version.projection,
    )
    assert list(draft.equipment_lines.values_list("item", "quote", "total_usd")) == [
        (line.item, line.quote.name, None) for line in version.equipment_lines.all()
    ]
    assert version.plan.application.__class__.objects.get(pk=version.plan.application_id).status == "shortlisted"


def test_return_needs_an_officer_and_a_note():
    version = complete_draft()
    services.plan_submit(version=version, actor=version.plan.application.applicant)

    with pytest.raises(ActorNotAllowed):
        services.plan_return(version=version, actor=UserFactory(role=Role.CONSULTANT), note="ні")
    with pytest.raises(PlanError, match="what to revise"):
        services.plan_return(version=version, actor=UserFactory(role=Role.PROGRAMME_OFFICER), note=" ")


def test_a_frozen_version_cannot_be_changed():
    version = complete_draft()
    applicant = version.plan.application.applicant
    services.plan_submit(version=version, actor=applicant)

    with pytest.raises(PlanError, match="can no longer be changed"):
        services.plan_update(version=version, actor=applicant, fields={"summary": "новий текст"})


def test_the_return_email_says_what_to_revise_in_the_applicants_language():
    version = complete_draft()
    application = version.plan.application
    application.language = "en"
    application.save()
    services.plan_submit(version=version, actor=application.applicant)
    services.plan_return(version=version, actor=UserFactory(role=Role.PROGRAMME_OFFICER), note="Add a third quote.")
    change = ApplicationStatusChange.objects.get(to_status=ApplicationStatus.SHORTLISTED)

    notify_status_change(change.pk)

    [message] = mail.outbox
    assert message.subject == f"1+1: please revise your business plan for {application.reference}"
    assert "Add a third quote." in message.body


def test_the_database_refuses_a_grant_above_the_cap():
    version = complete_draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(
            cap_usd=Decimal("4000.00"),
            grant_usd=Decimal("4000.01"),
            equipment_usd=Decimal("9000.00"),
            own_counted_usd=Decimal("9000.00"),
            match_ratio=Decimal("1.00"),
        )


def test_the_database_refuses_a_grant_above_ratio_times_contribution():
    version = complete_draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(
            cap_usd=Decimal("4000.00"),
            grant_usd=Decimal("2000.01"),
            equipment_usd=Decimal("9000.00"),
            own_counted_usd=Decimal("1000.00"),
            match_ratio=Decimal("2.00"),
        )


def test_a_cleared_reviewer_reads_the_plan_but_no_comments(client):
    from plans.models import PlanComment
    from reviews.scoring import services as review_services
    from tests.factories import DefenseSlotFactory, PanelMemberFactory

    version = complete_draft()
    application = version.plan.application
    services.plan_submit(version=version, actor=application.applicant)
    PlanComment.objects.create(version=version, body="Internal: check the quote", to_applicant=False)
    slot = DefenseSlotFactory(application=application, session__call=application.call)
    reviewer = PanelMemberFactory(session=slot.session).reviewer
    review_services.conflict_declare(application=application, reviewer=reviewer, conflicted=False)
    client.force_login(reviewer)

    response = client.get(f"/en/applications/{application.pk}/plan/")

    assert (response.status_code, response.context["comments"]) == (200, [])
    assert "Internal: check the quote" not in response.text
