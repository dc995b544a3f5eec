from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from common.moves import OWNER, MoveTable


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")


# The applicant (common.moves.OWNER) submits the draft, freezing it; an officer returns a submitted version
# for revision, and it stays frozen (a new draft copies it). plans.services.plan_version_move moves them.
PLAN_VERSION_MOVES = MoveTable(
    VersionStatus,
    moves={
        VersionStatus.DRAFT: frozenset({VersionStatus.SUBMITTED}),
        VersionStatus.SUBMITTED: frozenset({VersionStatus.RETURNED}),
        VersionStatus.RETURNED: frozenset(),
    },
    actors={
        VersionStatus.DRAFT: frozenset(),
        VersionStatus.SUBMITTED: frozenset({OWNER}),
        VersionStatus.RETURNED: frozenset({Role.PROGRAMME_OFFICER}),
    },
)


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Money")
    IN_KIND = "in_kind", _("In kind (goods, premises, equipment you own)")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")


class PlanSection(models.TextChoices):
    """The written sections of a business plan, in the order the plan shows them."""

    SUMMARY = "summary", _("Summary")
    MARKET = "market", _("The business and its market")
    EXPERIENCE = "experience", _("Experience from abroad that the business uses")
    OPERATIONS = "operations", _("Operations and suppliers")
    RISKS = "risks", _("Risks and how you will handle them")
    SUSTAINABILITY = "sustainability", _("Sustainability: the business after the grant")


SECTION_HEADINGS_UK_EN = {
    PlanSection.SUMMARY: ("Резюме", "Summary"),
    PlanSection.MARKET: ("Бізнес і його ринок", "The business and its market"),
    PlanSection.EXPERIENCE: ("Досвід з-за кордону", "Experience from abroad"),
    PlanSection.OPERATIONS: ("Операційна діяльність і постачальники", "Operations and suppliers"),
    PlanSection.RISKS: ("Ризики", "Risks"),
    PlanSection.SUSTAINABILITY: ("Сталість", "Sustainability"),
}

MONTHS = 12
