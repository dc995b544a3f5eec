"""Rubrics, defense sessions and panels, score sheets, and applications the panel has been through."""

from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region
from applications.models import Application
from reviews.enums import SheetStatus
from reviews.models import CriterionScore
from reviews.rubrics.services import rubric_create_default
from reviews.scoring.rules import CENT

from .accounts import UserFactory
from .applications import CallFactory, shortlisted_application, submitted_application
from .plans import ContributionLineFactory, EquipmentLineFactory, PlanVersionFactory


class RubricFactory(factory.django.DjangoModelFactory):
    """A call's rubric with the programme's eight default criteria, made as the programme makes it
    (`rubric_create_default`); settings passed (`calibrated=True`...) are saved over the defaults.
    `default_criteria=False` gives a rubric without criteria, for a test that adds its own (CriterionFactory)."""

    class Meta:
        model = "reviews.Rubric"

    call = factory.SubFactory(CallFactory)
    default_criteria = True

    @classmethod
    def _create(cls, model_class, *, call, default_criteria, **settings):
        # Saving a call gives it the default rubric (reviews.rubrics.receivers); take it as it is, or bare.
        rubric = rubric_create_default(call=call)
        if not default_criteria:
            rubric.criteria.all().delete()
        for name, value in settings.items():
            setattr(rubric, name, value)
        if settings:
            rubric.save(update_fields=list(settings))
        return rubric


class CriterionFactory(factory.django.DjangoModelFactory):
    """A criterion scored 0 to 10 that must be scored (no N/A), added to a rubric of its own by default."""

    class Meta:
        model = "reviews.Criterion"

    rubric = factory.SubFactory(RubricFactory, default_criteria=False)
    key = factory.Sequence(lambda n: f"criterion-{n}")
    name_uk = factory.Sequence(lambda n: f"Критерій {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("10")
    position = factory.Sequence(lambda n: n)


class DefenseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.DefenseSession"

    call = factory.SubFactory(CallFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    starts_at = time(10, 0)
    ends_at = time(16, 0)
    venue = "Львів, вул. Городоцька, 1"
    region = Region.LVIV
    chair = factory.SubFactory(UserFactory, role=Role.REVIEWER)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.PanelMember"

    session = factory.SubFactory(DefenseSessionFactory)
    reviewer = factory.SubFactory(UserFactory, role=Role.REVIEWER)


class DefenseSlotFactory(factory.django.DjangoModelFactory):
    """A scheduled slot of a shortlisted application of the session's call, a week from now; `started=True`:
    one that started an hour ago, its application invited to defense as scheduling leaves it."""

    class Meta:
        model = "reviews.DefenseSlot"

    class Params:
        started = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
            application=factory.LazyAttribute(
                lambda o: submitted_application(call=o.session.call, status=ApplicationStatus.INVITED_TO_DEFENSE)
            ),
        )

    session = factory.SubFactory(DefenseSessionFactory)
    application = factory.LazyAttribute(lambda o: shortlisted_application(call=o.session.call))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    """A reviewer's declaration of no conflict of interest; `conflicted=True` with its `reason` for one."""

    class Meta:
        model = "reviews.ConflictDeclaration"

    application = factory.LazyFunction(shortlisted_application)
    reviewer = factory.SubFactory(UserFactory, role=Role.REVIEWER)
    conflicted = False


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    """A reviewer's draft score sheet that scores every criterion of the call's rubric `score` (the
    default rubric is made if the call has none); `submitted=True` locks it with its weighted mean,
    which is `score`, as every criterion has that score."""

    class Meta:
        model = "reviews.ScoreSheet"

    application = factory.LazyFunction(shortlisted_application)
    reviewer = factory.SubFactory(UserFactory, role=Role.REVIEWER)
    score = Decimal("7")
    submitted = False

    @classmethod
    def _create(cls, model_class, *, score: Decimal, submitted: bool, **fields):
        if submitted:
            fields |= {
                "status": SheetStatus.SUBMITTED,
                "submitted_at": timezone.now(),
                "weighted_mean": score.quantize(CENT),
            }
        sheet = super()._create(model_class, **fields)
        rubric = rubric_create_default(call=sheet.application.call)
        CriterionScore.objects.bulk_create(
            CriterionScore(sheet=sheet, criterion=criterion, score=score) for criterion in rubric.criteria.all()
        )
        return sheet


def plan_submitted_application(*, submitted_at=None, **kwargs) -> Application:
    """An application waiting for its defense: its business plan submitted at `submitted_at` (now)."""
    application = submitted_application(status=ApplicationStatus.PLAN_SUBMITTED, **kwargs)
    PlanVersionFactory(plan__application=application, submitted=True, submitted_at=submitted_at or timezone.now())
    return application


def recommended_application(
    *,
    grant: Decimal = Decimal("3000.00"),
    status: str = ApplicationStatus.RECOMMENDED,
    equipment: tuple[tuple[str, int, Decimal], ...] = (("Сироварня на 200 л", 1, Decimal("3500.00")),),
    **kwargs,
) -> Application:
    """An application the ranking left recommended (or waitlisted), with a submitted plan version whose
    frozen figures give `grant`: equipment as given (USD), own contribution in money equal to the grant."""
    application = submitted_application(status=status, **kwargs)
    equipment_usd = sum((price * quantity for _, quantity, price in equipment), Decimal("0.00"))
    call = application.call
    version = PlanVersionFactory(
        plan__application=application,
        submitted=True,
        equipment_usd=equipment_usd,
        own_cash_usd=grant,
        own_in_kind_usd=Decimal("0.00"),
        own_counted_usd=grant,
        grant_usd=grant,
        match_ratio=call.match_ratio,
        cap_usd=call.cap,
    )
    for item, quantity, price in equipment:
        EquipmentLineFactory(
            version=version,
            item=item,
            quantity=quantity,
            unit_price=price,
            usd_per_unit=Decimal("1"),
            rate_date=timezone.localdate(),
            total_usd=price * quantity,
        )
    ContributionLineFactory(
        version=version, amount=grant, usd_per_unit=Decimal("1"), rate_date=timezone.localdate(), amount_usd=grant
    )
    return application
