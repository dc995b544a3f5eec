"""What a plan version still lacks before it can be submitted."""

from django.utils.translation import gettext as _

from .enums import MONTHS, ContributionKind, PlanSection


def missing_parts(version, *, equipment_lines=None, contribution_lines=None) -> list[str]:
    """The parts still missing, in the order the form asks for them. A caller that holds the version's
    stored lines already (the rows of an unbound formset) passes them, instead of reading them again."""
    missing = [
        str(PlanSection(name).label) for name in PlanSection.values if not (getattr(version, name) or "").strip()
    ]
    if version.jobs_total is None:
        missing.append(_("the number of jobs to be created"))
    equipment = list(version.equipment_lines.all() if equipment_lines is None else equipment_lines)
    if not equipment:
        missing.append(_("at least one item of equipment"))
    elif any(not line.quote for line in equipment):
        missing.append(_("a supplier quote for every item of equipment"))
    contributions = list(version.contribution_lines.all() if contribution_lines is None else contribution_lines)
    if not any(line.kind == ContributionKind.CASH for line in contributions):
        missing.append(_("your own contribution in money"))
    if len(version.projection) != MONTHS or any(
        month.get("revenue") in (None, "") or month.get("costs") in (None, "") for month in version.projection
    ):
        missing.append(_("the 12-month projection of revenue and costs"))
    return missing
