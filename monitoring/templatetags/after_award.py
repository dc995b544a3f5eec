"""The participant's dashboard panel for what follows the award: the equipment, the own contribution to
prove (with any shortfall and what would close it) and the monitoring reports due.

It reads only the applications already on the dashboard: none past the award, no query at all."""

from django import template
from django.db.models import Prefetch

from applications.enums import ApplicationStatus
from grants.models import Grant
from procurement.contributions.selectors import remedy_for
from procurement.models import ContributionProof

from ..enums import REPORT_EDITABLE
from ..models import MonitoringReport

register = template.Library()

S = ApplicationStatus
AFTER_AWARD = frozenset({S.APPROVED, S.AWARDED, S.EQUIPMENT_DELIVERED, S.CLOSED})


@register.inclusion_tag("monitoring/partials/dashboard_panel.html")
def after_award_panel(applications) -> dict:
    ids = [application.pk for application in applications if application.status in AFTER_AWARD]
    if not ids:
        return {"rows": []}
    grants = (
        Grant.objects.filter(application_id__in=ids, procurement_items__isnull=False)
        .distinct()
        .select_related("call", "contribution_match")
        .prefetch_related(
            Prefetch("contribution_proofs", queryset=ContributionProof.objects.order_by("line_id")),
            Prefetch(
                "monitoring_reports",
                queryset=MonitoringReport.objects.filter(status__in=REPORT_EDITABLE).order_by("due_on"),
                to_attr="open_reports",
            ),
        )
        .order_by("pk")
    )
    rows = []
    for grant in grants:
        match = getattr(grant, "contribution_match", None)
        rows.append({"grant": grant, "match": match, "remedy": remedy_for(grant, match) if match else None})
    return {"rows": rows}
