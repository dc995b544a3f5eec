"""The steps of the application form and what each needs before the application can be submitted."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .selectors import consent_notices_missing


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    required: tuple[str, ...] = ()


STEPS = (
    Step("personal", _("About you"), ("first_name", "last_name", "date_of_birth", "gender", "phone")),
    Step(
        "migration",
        _("Work abroad"),
        ("countries_abroad", "years_abroad", "still_abroad", "migration_experience"),
    ),
    Step("business", _("Your business idea"), ("region", "hromada", "sector", "idea_title", "idea_description")),
    Step("money", _("Contribution and equipment"), ("own_contribution_amount",)),
    Step("declarations", _("Priority groups and consent")),
    Step("review", _("Review and submit")),
)
STEP_SLUGS = tuple(step.slug for step in STEPS)


def step_by_slug(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_fields(application, step: Step) -> list[str]:
    missing = [name for name in step.required if _blank(getattr(application, name))]
    if step.slug == "migration" and application.still_abroad is False and not application.return_date:
        missing.append("return_date")
    if step.slug == "money":
        if application.own_contribution_amount is not None and application.own_contribution_amount <= 0:
            missing.append("own_contribution_amount")
        if not application.equipment.exists():
            missing.append("equipment")
    if step.slug == "declarations" and consent_notices_missing(application):
        missing.append("consent")
    return missing


def missing_sections(application) -> list[str]:
    """Titles of the steps that still lack something the submission needs."""
    return [str(step.title) for step in STEPS if missing_fields(application, step)]
