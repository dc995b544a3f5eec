"""One factory per model, in one module per app; a factory builds the simplest valid object and tests
state what they rely on. States come from explicit traits and parameters (`submitted=True`,
`ready=True`...) or from the service that reaches them, never from a status set afterwards.

`from tests.factories import X` finds every factory and helper here."""

from .accounts import PASSWORD, UserFactory
from .applications import (
    ApplicationFactory,
    CallFactory,
    EquipmentItemFactory,
    MessageFactory,
    ProgrammeFactory,
    StatusChangeFactory,
    declare_priority_groups,
    priority_group,
    shortlisted_application,
    submitted_application,
)
from .grants import (
    DecisionFactory,
    GrantFactory,
    LetterBatchFactory,
    LetterFactory,
    letter_given_up,
    letter_pdf,
    letter_rendered,
)
from .plans import (
    MINIMAL_PDF,
    BusinessPlanFactory,
    ConsultantAssignmentFactory,
    ConsultationSessionFactory,
    ContributionLineFactory,
    EquipmentLineFactory,
    PlanVersionFactory,
)
from .rates import ExchangeRateFactory
from .reviews import (
    ConflictDeclarationFactory,
    CriterionFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    RubricFactory,
    ScoreSheetFactory,
    plan_submitted_application,
    recommended_application,
)

__all__ = [
    "MINIMAL_PDF",
    "PASSWORD",
    "ApplicationFactory",
    "BusinessPlanFactory",
    "CallFactory",
    "ConflictDeclarationFactory",
    "ConsultantAssignmentFactory",
    "ConsultationSessionFactory",
    "ContributionLineFactory",
    "CriterionFactory",
    "DecisionFactory",
    "declare_priority_groups",
    "DefenseSessionFactory",
    "DefenseSlotFactory",
    "EquipmentItemFactory",
    "EquipmentLineFactory",
    "ExchangeRateFactory",
    "GrantFactory",
    "LetterBatchFactory",
    "LetterFactory",
    "MessageFactory",
    "PanelMemberFactory",
    "PlanVersionFactory",
    "ProgrammeFactory",
    "RubricFactory",
    "ScoreSheetFactory",
    "StatusChangeFactory",
    "UserFactory",
    "letter_given_up",
    "letter_pdf",
    "letter_rendered",
    "plan_submitted_application",
    "priority_group",
    "recommended_application",
    "shortlisted_application",
    "submitted_application",
]
