"""One factory per model. A factory builds the simplest valid object; tests state what they rely on."""

import io
from datetime import date, time, timedelta
from decimal import Decimal

import factory
import pikepdf
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
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

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Марія"
    last_name = "Іваненко"
    preferred_language = "uk"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role=Role.PROGRAMME_OFFICER)`; applicants by default. The email is verified."""
        if not create:
            return
        self.save()
        self.groups.add(Group.objects.get(name=extracted or Role.APPLICANT))
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


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


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every answer filled in; `complete=True` adds equipment and consent too."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

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
        if not (create and extracted):
            return
        EquipmentItem.objects.create(application=self, name="Сировароня", estimated_unit_price=Decimal("3500"))
        for notice in consent_notices_current():
            Consent.objects.create(user=self.applicant, application=self, notice=notice, language="uk")


def submitted_application(**kwargs) -> Application:
    """A submitted application as the submission service leaves it, for tests of later stages."""
    application = ApplicationFactory(complete=True, **kwargs)
    call = application.call
    call.last_reference_number += 1
    call.save(update_fields=["last_reference_number"])
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.SUBMITTED,
        reference=f"{call.reference_prefix}-{call.cycle_year}-{call.last_reference_number:04d}",
        submitted_at=timezone.now(),
    )
    application.refresh_from_db()
    return application


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


# --- Business plans and consultations ---------------------------------------------------------------


def _minimal_pdf() -> bytes:
    """A real one-page PDF, as the upload checks parse it (common.uploads)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


MINIMAL_PDF = _minimal_pdf()


def shortlisted_application(**kwargs) -> Application:
    application = submitted_application(**kwargs)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SHORTLISTED)
    application.refresh_from_db()
    return application


class BusinessPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.BusinessPlan"

    application = factory.LazyFunction(shortlisted_application)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; `complete=True` fills every section, the projection and one line of each kind."""

    class Meta:
        model = "plans.PlanVersion"
        skip_postgeneration_save = True

    plan = factory.SubFactory(BusinessPlanFactory)
    number = 1

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        from plans.enums import PlanSection

        for name in PlanSection.values:
            setattr(self, name, f"Текст розділу «{name}».")
        self.jobs_total, self.jobs_women = 3, 2
        self.projection = [{"revenue": "40000.00", "costs": "30000.00"} for _ in range(12)]
        self.save()
        EquipmentLineFactory(version=self)
        ContributionLineFactory(version=self)


class EquipmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.EquipmentLine"

    version = factory.SubFactory(PlanVersionFactory)
    item = "Сироварня на 200 л"
    purpose = "Виробництво твердих сирів"
    supplier = "ТОВ «Агромаш»"
    quantity = 1
    unit_price = Decimal("3500.00")
    currency = Currency.USD
    quote = factory.django.FileField(filename="quote.pdf", data=MINIMAL_PDF)
    quote_type = "application/pdf"


class ContributionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ContributionLine"

    version = factory.SubFactory(PlanVersionFactory)
    kind = "cash"
    description = "Заощадження з роботи в Польщі"
    amount = Decimal("3000.00")
    currency = Currency.USD


class ConsultantAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ConsultantAssignment"

    application = factory.LazyFunction(shortlisted_application)
    consultant = factory.SubFactory(UserFactory, role=Role.CONSULTANT)


class ConsultationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ConsultationSession"

    application = factory.LazyFunction(shortlisted_application)
    consultant = factory.SubFactory(UserFactory, role=Role.CONSULTANT)
    held_on = factory.LazyFunction(lambda: timezone.localdate())
    mode = "video"
    duration_minutes = 60
    topics = "Ринок збуту, ціни постачальників"
    notes = "Обговорили конкурентів у громаді."
    next_steps = "Зібрати три комерційні пропозиції."


# --- Exchange rates -----------------------------------------------------------------------------------


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """The NBU's euro rate of a Friday; tests name the currency, date and rate they rely on."""

    class Meta:
        model = "rates.ExchangeRate"

    currency = Currency.EUR
    date = date(2021, 3, 12)
    uah_per_unit = Decimal("33.206900")
    source = "nbu_csv"


# --- Reviews --------------------------------------------------------------------------------------


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
    class Meta:
        model = "reviews.DefenseSlot"

    session = factory.SubFactory(DefenseSessionFactory)
    application = factory.LazyAttribute(lambda o: shortlisted_application(call=o.session.call))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def recommended_application(
    *,
    grant: Decimal = Decimal("3000.00"),
    status: str = ApplicationStatus.RECOMMENDED,
    equipment: tuple[tuple[str, int, Decimal], ...] = (("Сироварня на 200 л", 1, Decimal("3500.00")),),
    **kwargs,
) -> Application:
    """An application the ranking left recommended (or waitlisted), with a submitted plan version whose
    frozen figures give `grant`: equipment as given (USD), own contribution in money equal to the grant."""
    from plans.enums import VersionStatus

    application = submitted_application(**kwargs)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    equipment_usd = sum((price * quantity for _, quantity, price in equipment), Decimal("0.00"))
    call = application.call
    version = PlanVersionFactory(
        plan__application=application,
        status=VersionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        rates_date=timezone.localdate(),
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
