"""Field verification and retention pages: a grant's monitoring, samples, visits and retention cases, and
plan versus actual per call. Staff only (403 to other roles); approvers decide cases."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from applications.exceptions import ApplicationError
from applications.models import Application, Call
from common.views import perm_required, redirect_back, report_form_errors
from grants.models import Grant

from .. import selectors as monitoring_selectors
from ..enums import AgeBand, CaseSource, CaseStatus, JobGender
from ..forms import CaseDecisionForm, CaseOpenForm, SampleForm, VisitForm
from ..models import RetentionCase, VerificationSample
from . import selectors, services

STAFF = "monitoring.see"
PAGE_SIZE = 50


@perm_required(STAFF)
def grant(request, grant_id: int):
    grant = selectors.grant_for_monitoring(grant_id)
    access_log(user=request.user, application=grant.application, action="view_monitoring")
    sample_id = request.GET.get("sample")
    return render(
        request,
        "monitoring/grant.html",
        {
            "grant": grant,
            "schedule": grant.monitoring_schedule,
            "comparison": monitoring_selectors.plan_vs_actual(Grant.objects.filter(pk=grant.pk))[0],
            "visit_form": VisitForm(),
            "case_form": CaseOpenForm(),
            "sample_id": sample_id if (sample_id or "").isdigit() else "",
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("monitoring.manage"),
        },
    )


@require_POST
@perm_required("monitoring.manage")
def visit_create(request, grant_id: int):
    grant = selectors.grant_for_monitoring(grant_id)
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("monitoring:grant", grant.pk)
    sample = None
    if (request.POST.get("sample") or "").isdigit():
        sample = VerificationSample.objects.filter(pk=request.POST["sample"]).first()
    data = form.cleaned_data
    try:
        services.visit_record(
            grant=grant,
            actor=request.user,
            sample=sample,
            visited_on=data["visited_on"],
            equipment_present=data["equipment_present"],
            equipment_in_use=data["equipment_in_use"],
            business_operating=data["business_operating"],
            notes=data["notes"],
            discrepancy=data["discrepancy"],
            discrepancy_note=data["discrepancy_note"],
            photos=data["photos"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Visit recorded."))
    return redirect_back(request, "monitoring:grant", grant.pk)


@require_POST
@perm_required("monitoring.manage")
def case_create(request, grant_id: int):
    grant = selectors.grant_for_monitoring(grant_id)
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("monitoring:grant", grant.pk)
    try:
        case = services.case_open(
            grant=grant, actor=request.user, source=CaseSource.OFFICER, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("monitoring:grant", grant.pk)
    messages.success(request, _("Retention case opened; an approver decides it."))
    return redirect("monitoring:case", case.pk)


@perm_required(STAFF)
def samples(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("monitoring.manage"):
            messages.error(request, _("Only programme officers do field verification."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                sample = services.sample_draw(
                    call=data["call"],
                    actor=request.user,
                    confidence=data["confidence"],
                    margin=data["margin"],
                    seed=data["seed"],
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                return redirect("monitoring:sample", sample.pk)
    page = Paginator(selectors.samples(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/samples.html",
        {"form": form, "page": page, "query": "", "can_manage": request.user.has_perm("monitoring.manage")},
    )


@perm_required(STAFF)
def sample(request, sample_id: int):
    sample = get_object_or_404(VerificationSample.objects.select_related("call", "drawn_by"), pk=sample_id)
    return render(request, "monitoring/sample.html", {"sample": sample, "members": selectors.sample_members(sample)})


@perm_required(STAFF)
def cases(request):
    status = request.GET.get("status", CaseStatus.OPEN)
    status = status if status in CaseStatus.values or status == "" else CaseStatus.OPEN
    page = Paginator(selectors.cases(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/cases.html",
        {"page": page, "query": f"status={status}", "status": status, "statuses": CaseStatus.choices},
    )


@perm_required(STAFF)
def case(request, case_id: int):
    case = get_object_or_404(
        RetentionCase.objects.select_related(
            "grant__application",
            "grant__call",
            "grant__monitoring_schedule",
            "opened_by",
            "decided_by",
            "transfer_to",
            "visit",
            "report",
        ),
        pk=case_id,
    )
    form = CaseDecisionForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "close":
            try:
                services.case_move(case, CaseStatus.CLOSED, actor=request.user, note=request.POST.get("note", ""))
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The case is closed."))
            return redirect("monitoring:case", case.pk)
        if not request.user.has_perm("monitoring.decide_cases"):
            messages.error(request, _("Only approvers decide retention cases."))
        elif form.is_valid():
            data = form.cleaned_data
            transfer_to = None
            if data["transfer_to"].strip():
                transfer_to = Application.objects.filter(reference=data["transfer_to"].strip().upper()).first()
                if transfer_to is None:
                    form.add_error("transfer_to", _("No application has this reference."))
            if not form.errors:
                try:
                    services.case_move(
                        case, data["decision"], actor=request.user, note=data["note"], transfer_to=transfer_to
                    )
                except ApplicationError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("Decision recorded."))
                    return redirect("monitoring:case", case.pk)
    return render(
        request,
        "monitoring/case.html",
        {
            "case": case,
            "form": form,
            "history": case.status_changes.select_related("actor"),
            "can_decide": request.user.has_perm("monitoring.decide_cases") and case.is_open,
            "can_close": request.user.has_perm("monitoring.manage")
            and case.status in (CaseStatus.RECOVER, CaseStatus.TRANSFER),
        },
    )


@perm_required(STAFF)
def plan_vs_actual(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    rows = monitoring_selectors.plan_vs_actual(
        Grant.objects.filter(call=call, monitoring_schedule__isnull=False).order_by("sequence")
    )
    totals = monitoring_selectors.plan_vs_actual_totals(rows)
    return render(
        request,
        "monitoring/plan_vs_actual.html",
        {
            "call": call,
            "rows": rows,
            "totals": totals,
            "bands": [AgeBand(band).label for band in AgeBand.values],
            "jobs_grid": [
                (JobGender(gender).label, [totals.jobs_by_cell.get((gender, band), 0) for band in AgeBand.values])
                for gender in JobGender.values
            ],
        },
    )
