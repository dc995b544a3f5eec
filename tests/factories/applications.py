"""Calls and applications. An application is a draft unless a trait says otherwise:
`ApplicationFactory(submitted=True)` is one as submission leaves it (complete, with the next reference of
its call), and `status=...` beside it names a later state of the journey for tests of later stages."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from applications.enums import ApplicationStatus, Country, Currency, Gender, Region, Sector
from applications.models import (
    Application,
    ApplicationStatusChange,
    Call,
    Consent,
    EquipmentItem,
    Message,
    PriorityGroup,
    Programme,
)
from applications.selectors import consent_notices_current

from .accounts import UserFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name_uk = "Програма «1+1»"
    name_en = "The 1+1 programme"
    donor = "USAID"


class CallFactory(factory.django.DjangoModelFactory):
    """An open individual-track call with the programme's usual rules."""

    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title_uk = factory.Sequence(lambda n: f"Конкурс {n}")
    title_en = factory.Sequence(lambda n: f"Call {n}")
    cycle_year = 2021
    reference_prefix = factory.Sequence(lambda n: f"T{n}")
    cap = Decimal("4000.00")
    budget_envelope = Decimal("100000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


def next_reference(application) -> str:
    """The next reference of the application's call, taken from the call's counter as submission takes it."""
    call = application.call
    call.last_reference_number += 1
    call.save(update_fields=["last_reference_number"])
    return f"{call.reference_prefix}-{call.cycle_year}-{call.last_reference_number:04d}"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every answer filled in; `complete=True` adds equipment and consent too, and
    `submitted=True` makes it a complete application as submission leaves it (`status=...` beside it
    for a later state)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            reference=factory.LazyAttribute(next_reference),
            submitted_at=factory.LazyFunction(timezone.now),
        )

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    first_name = factory.LazyAttribute(lambda o: o.applicant.first_name)
    last_name = factory.LazyAttribute(lambda o: o.applicant.last_name)
    date_of_birth = date(1985, 4, 2)
    gender = Gender.FEMALE
    phone = "+48 600 100 200"
    countries_abroad = factory.LazyFunction(lambda: [Country.PL])
    years_abroad = Decimal("4.5")
    still_abroad = False
    return_date = date(2024, 9, 1)
    migration_experience = "Працювала на меблевій фабриці у Вроцлаві."
    region = Region.LVIV
    hromada = "Жовківська"
    sector = Sector.AGRICULTURE
    idea_title = "Сімейна сироварня"
    idea_description = "Тверді сири для місцевих ринків і кав'ярень."
    own_contribution_amount = Decimal("3000.00")
    own_contribution_currency = Currency.USD

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        """Equipment and consent to the current notices: for `complete=True`, and for every application
        past its draft (submission needs them) unless `complete=False`."""
        if extracted is None:
            extracted = self.status != ApplicationStatus.DRAFT
        if not (create and extracted):
            return
        EquipmentItem.objects.create(application=self, name="Сировароня", estimated_unit_price=Decimal("3500"))
        for notice in consent_notices_current():
            Consent.objects.create(user=self.applicant, application=self, notice=notice, language="uk")


def submitted_application(*, status: str = ApplicationStatus.SUBMITTED, **kwargs) -> Application:
    """A submitted application (`ApplicationFactory(submitted=True)`), or one that has gone on to `status`."""
    return ApplicationFactory(submitted=True, status=status, **kwargs)


def shortlisted_application(**kwargs) -> Application:
    return submitted_application(status=ApplicationStatus.SHORTLISTED, **kwargs)


class EquipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentItem

    application = factory.SubFactory(ApplicationFactory)
    name = "Доїльний апарат"
    quantity = 1
    estimated_unit_price = Decimal("1200.00")
    currency = Currency.USD


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationStatusChange

    application = factory.SubFactory(ApplicationFactory)
    from_status = ApplicationStatus.DRAFT
    to_status = ApplicationStatus.SUBMITTED


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    application = factory.SubFactory(ApplicationFactory)
    body = "Будь ласка, додайте копію дозволу на роботу."


def priority_group(code: str) -> PriorityGroup:
    return PriorityGroup.objects.get(code=code)


def declare_priority_groups(application: Application, *codes: str) -> Application:
    """The groups as the declarations step stores them: encrypted codes and their blind indexes."""
    from applications.services import priority_index_write

    application.priority_answers = sorted(codes)
    application.save(update_fields=["priority_answers"])
    priority_index_write(application)
    return application
