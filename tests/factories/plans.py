"""Business plans and consultations. A plan version is a draft unless a trait says otherwise:
`submitted=True` (frozen, with the rates of today) or `returned=True` (submitted, then returned with a note).
Frozen USD figures are the test's to state: `recommended_application` (reviews.py) gives a consistent set."""

import io
from decimal import Decimal

import factory
import pikepdf
from django.utils import timezone

from accounts.roles import Role
from applications.enums import Currency
from plans.enums import VersionStatus

from .accounts import UserFactory
from .applications import shortlisted_application


def _minimal_pdf() -> bytes:
    """A real one-page PDF, as the upload checks parse it (common.uploads)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


MINIMAL_PDF = _minimal_pdf()


class BusinessPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.BusinessPlan"

    application = factory.LazyFunction(shortlisted_application)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; `complete=True` fills every section, the projection and one line of each kind."""

    class Meta:
        model = "plans.PlanVersion"
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(
            status=VersionStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            rates_date=factory.LazyFunction(timezone.localdate),
        )
        returned = factory.Trait(
            status=VersionStatus.RETURNED,
            submitted_at=factory.LazyFunction(timezone.now),
            rates_date=factory.LazyFunction(timezone.localdate),
            returned_at=factory.LazyFunction(timezone.now),
            return_note="Додайте комерційні пропозиції на обладнання.",
        )

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
