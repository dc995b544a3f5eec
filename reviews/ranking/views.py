"""The ranking pages: a call's ranking list with its confirmations, and its CSV and XLSX exports.

Programme officers and approvers (applications.see_queue) see and export every call's ranking; a chair of
one of the call's defense sessions sees that call's ranking too, and confirms it, but does not export it.
The exports carry the reference and the name of each applicant and no other personal data: not the
priority flag (a priority group can reveal special-category data), the own-contribution ratio or the plan's
submission time. Every export asks for a reason and is audited per application with it; its cells go
through common.exports, so no name can run as a spreadsheet formula.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required_for_export
from applications.audit.forms import export_reason
from applications.models import Call
from common.exports import csv_response, xlsx_response
from common.page_cache import cached_page
from common.views import perm_required
from reviews.exceptions import ReviewError
from reviews.models import ConfirmationRole

from . import selectors
from . import services as ranking_services
from .confirmed import confirmed_ranking
from .rank import Outcome
from .selectors import CallRanking, call_ranking_table

OUTCOME_LABELS = {
    Outcome.RECOMMENDED: gettext_lazy("Recommended"),
    Outcome.WAITLISTED: gettext_lazy("Waitlisted"),
    Outcome.BELOW_THRESHOLD: gettext_lazy("Below threshold"),
}


def _call_for_viewer(request, pk: int) -> Call | None:
    """The call, when the user may see its ranking; None sends an anonymous visitor to sign in."""
    if not request.user.is_authenticated:
        return None
    call = get_object_or_404(Call, pk=pk)
    if not (request.user.has_perm("applications.see_queue") or selectors.chairs_in_call(request.user, call)):
        raise PermissionDenied
    return call


@cached_page
def ranking(request, pk: int):
    """The ranking as it stands; once both roles have confirmed it, the confirmed rows (reviews.ranking.confirmed)
    with each application's status now."""
    call = _call_for_viewer(request, pk)
    if call is None:
        return redirect_to_login(request.get_full_path())
    confirmed = confirmed_ranking(call)
    page_of_lines = None
    if confirmed is None:
        page = selectors.ranking_page(call, request.user, request.GET.get("page"))
        table, lines, confirmations = page.table, page.lines, page.confirmations
        confirm_as, can_export, page_of_lines = page.confirm_as, page.can_export, page.page
    else:
        table, confirmations = confirmed.table, confirmed.confirmations
        lines = selectors.lines_visible_to(table, request.user)
        confirm_as = selectors.confirmation_role(request.user, call)
        can_export = request.user.has_perm("applications.see_queue")
    return render(
        request,
        "reviews/ranking/ranking.html",
        {
            "call": call,
            "table": table,
            "lines": [(line, OUTCOME_LABELS[line.row.outcome]) for line in lines],
            "confirmed": confirmed,
            "confirmations": confirmations,
            # Both roles confirmed this very ranking: nothing is left to confirm, so no button.
            "fully_confirmed": sum(current for _confirmation, current in confirmations) == len(ConfirmationRole),
            "confirm_as": ConfirmationRole(confirm_as).label if confirm_as else None,
            "can_export": can_export,
            "page": page_of_lines,
        },
    )


@require_POST
def confirm(request, pk: int):
    call = _call_for_viewer(request, pk)
    if call is None:
        return redirect_to_login(request.get_full_path())
    try:
        confirmation = ranking_services.ranking_confirm(call=call, actor=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("ranking:call", pk=call.pk)
    if confirmation.applied_at is None:
        messages.success(request, _("Your confirmation is recorded; the ranking also needs the other role's."))
    else:
        below = [row["reference"] for row in confirmation.snapshot if row["outcome"] == Outcome.BELOW_THRESHOLD]
        messages.success(request, _("The ranking is confirmed; the applications are recommended or waitlisted."))
        if below:
            messages.info(
                request,
                _("Below the threshold, left as defended: %(references)s.") % {"references": ", ".join(below)},
            )
    return redirect("ranking:call", pk=call.pk)


def export_header(table: CallRanking, *, confirmed: bool = False) -> list[str]:
    """The columns; a confirmed ranking's add each application's status now."""
    return [
        _("Position"),
        _("Reference"),
        _("Name"),
        _("Score"),
        *[criterion.name for criterion in table.criteria],
        _("Disagreement"),
        _("Grant (USD)"),
        _("Outcome"),
        _("Running total (USD)"),
        *([_("Status now")] if confirmed else []),
    ]


def export_rows(table: CallRanking, *, confirmed: bool = False) -> list[list]:
    """One list per ranked application; numbers stay `Decimal` (None where there is none)."""
    return [
        [
            line.row.position,
            line.entry.reference,
            line.application.full_name,
            line.entry.score,
            *[line.criterion_means[criterion.pk] for criterion in table.criteria],
            _("yes") if line.disagreement else _("no"),
            line.entry.grant,
            str(OUTCOME_LABELS[line.row.outcome]),
            line.row.running_total,
            *([line.application.get_status_display()] if confirmed else []),
        ]
        for line in table.lines
    ]


def _exported(request, pk: int, action: str) -> tuple[CallRanking, bool] | HttpResponse:
    """The ranking to export (the confirmed one once both roles have confirmed it, and whether it is) once the
    officer has given a reason (audited per application), or the page asking for the reason."""
    call = get_object_or_404(Call, pk=pk)
    reason = export_reason(
        request, what=_("the ranking of “%(call)s”") % {"call": call.title}, back=reverse("ranking:call", args=[pk])
    )
    if isinstance(reason, HttpResponse):
        return reason
    confirmed = confirmed_ranking(call)
    table = call_ranking_table(call) if confirmed is None else confirmed.table
    ranking_services.ranking_export_log(
        user=request.user, applications=[line.application for line in table.lines], action=action, reason=reason
    )
    return table, confirmed is not None


def _filename(table: CallRanking, extension: str) -> str:
    return f"ranking-{table.call.reference_prefix}-{table.call.cycle_year}.{extension}"


@perm_required("applications.see_queue")
@reauthentication_required_for_export
def export_csv(request, pk: int):
    exported = _exported(request, pk, "export_ranking_csv")
    if isinstance(exported, HttpResponse):
        return exported
    table, confirmed = exported
    return csv_response(
        _filename(table, "csv"), export_header(table, confirmed=confirmed), export_rows(table, confirmed=confirmed)
    )


@perm_required("applications.see_queue")
@reauthentication_required_for_export
def export_xlsx(request, pk: int):
    exported = _exported(request, pk, "export_ranking_xlsx")
    if isinstance(exported, HttpResponse):
        return exported
    table, confirmed = exported
    return xlsx_response(
        _filename(table, "xlsx"),
        export_header(table, confirmed=confirmed),
        export_rows(table, confirmed=confirmed),
        sheet_title=_("Ranking"),
    )
