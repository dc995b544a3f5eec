"""Automatic eligibility checks of a submitted application against its call's rules."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CheckResult:
    label: str
    passed: bool


def automatic_checks(application) -> list[CheckResult]:
    call = application.call
    submitted_in_window = bool(application.submitted_at and call.opens_at <= application.submitted_at < call.closes_at)
    return [
        CheckResult(_("Submitted within the call window"), submitted_in_window),
        CheckResult(_("Region is eligible in this call"), application.region in call.eligible_regions),
        CheckResult(_("Sector is eligible in this call"), application.sector in call.eligible_sectors),
        CheckResult(
            _("Planned own contribution is in an accepted currency"),
            application.own_contribution_currency in call.currencies,
        ),
        CheckResult(
            _("Planned own contribution is above zero"),
            bool(application.own_contribution_amount and application.own_contribution_amount > 0),
        ),
        CheckResult(_("At least one item of equipment is listed"), bool(application.equipment.all())),
        CheckResult(_("Has experience of work abroad"), bool(application.countries_abroad)),
    ]
