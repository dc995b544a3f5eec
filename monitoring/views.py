"""Monitoring reports: the participant writes them (drafts save), officers review them.

A participant's report URL answers 404 for anyone else's id; staff pages answer 403 to other roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.exceptions import ApplicationError
from applications.services import access_log
from common.views import perm_required
from procurement.http import back, private_file, report_errors

from . import selectors, services
from .enums import REPORT_EDITABLE, AgeBand, JobGender
from .forms import PhotoForm, ReportFilterForm, ReportForm, ReviewForm, job_field_name
from .models import ReportPhoto, VisitPhoto

PAGE_SIZE = 50


def _initial(report) -> dict:
    initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    for job in report.jobs.all():
        initial[job_field_name(job.gender, job.age_band)] = job.count
    return initial


@login_required
def my_reports(request):
    if request.user.has_perm("monitoring.see"):
        return redirect("monitoring:reports")
    reports = list(selectors.reports_of_participant(request.user))
    return render(request, "monitoring/my_reports.html", {"reports": reports, "today": timezone.localdate()})


@login_required
def report_edit(request, report_id: int):
    if request.user.has_perm("monitoring.see"):
        return redirect("monitoring:report", report_id)
    report = selectors.report_of_participant(request.user, report_id)
    editable = report.status in REPORT_EDITABLE
    form = ReportForm(request.POST or None, initial=_initial(report))
    photo_form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This report has been submitted and can no longer be changed."))
            return redirect("monitoring:report_edit", report.pk)
        if form.is_valid():
            try:
                services.report_save(report=report, actor=request.user, fields=form.report_fields(), jobs=form.jobs())
                if request.POST.get("action") == "submit":
                    services.report_submit(report=report, actor=request.user)
                    messages.success(request, _("Thank you: your report is submitted."))
                    return redirect("monitoring:my_reports")
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your draft is saved; you can come back to it at any time."))
            return redirect("monitoring:report_edit", report.pk)
        messages.error(request, _("Please correct the answers marked below; nothing else was lost."))
    return render(
        request,
        "monitoring/report_form.html",
        {
            "report": report,
            "form": form,
            "photo_form": photo_form,
            "editable": editable,
            "missing": services.report_missing(report) if editable else [],
            "bands": [AgeBand(band).label for band in AgeBand.values],
        },
    )


@require_POST
@login_required
def report_photo_remove(request, photo_id: int):
    photo = ReportPhoto.objects.select_related("report__grant__application").filter(pk=photo_id).first()
    if photo is None or photo.report.grant.application.applicant_id != request.user.pk:
        raise Http404
    try:
        services.report_photo_remove(photo=photo, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("monitoring:report_edit", photo.report_id)


@login_required
def photo_download(request, kind: str, photo_id: int):
    """A report photo to its author and staff; a visit photo to staff. 404 for anyone else."""
    if kind == "report":
        photo = ReportPhoto.objects.select_related("report__grant__application").filter(pk=photo_id).first()
        if photo is None or not request.user.has_perm("monitoring.read_report", photo.report):
            raise Http404
        application = photo.report.grant.application
    elif kind == "visit":
        photo = VisitPhoto.objects.select_related("visit__grant__application").filter(pk=photo_id).first()
        if photo is None or not request.user.has_perm("monitoring.see"):
            raise Http404
        application = photo.visit.grant.application
    else:
        raise Http404
    access_log(user=request.user, application=application, action=f"{kind}_photo")
    extension = photo.file.name.rsplit(".", 1)[-1]
    return private_file(
        photo.file, filename=f"photo-{photo.pk}.{extension}", content_type=photo.content_type, inline=True
    )


@perm_required("monitoring.see")
def reports(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    queryset = selectors.reports_for_staff(
        call=filters.get("call"), status=filters.get("status", ""), overdue=filters.get("overdue", False), today=today
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/reports.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": today},
    )


@perm_required("monitoring.see")
def report_detail(request, report_id: int):
    report = selectors.report_for_staff(report_id)
    access_log(user=request.user, application=report.grant.application, action="view_monitoring_report")
    cells = {(job.gender, job.age_band): job.count for job in report.jobs.all()}
    comparison = selectors.plan_vs_actual(type(report.grant).objects.filter(pk=report.grant_id))[0]
    return render(
        request,
        "monitoring/report_detail.html",
        {
            "report": report,
            "grant": report.grant,
            "jobs": [
                (JobGender(gender).label, [cells.get((gender, band), 0) for band in AgeBand.values])
                for gender in JobGender.values
            ],
            "bands": [AgeBand(band).label for band in AgeBand.values],
            "comparison": comparison,
            "planned_revenue": selectors.planned_revenue(
                report.grant.plan_version.projection or [], report.months_after
            ),
            "story_consented": selectors.story_consented(report.grant.application),
            "review_form": ReviewForm(),
            "can_review": request.user.has_perm("monitoring.manage") and report.status == "submitted",
            "history": report.status_changes.select_related("actor"),
        },
    )


@require_POST
@perm_required("monitoring.manage")
def report_review(request, report_id: int):
    report = selectors.report_for_staff(report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return redirect("monitoring:report", report.pk)
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
            services.report_accept(report=report, actor=request.user, note=note)
            messages.success(request, _("Report accepted."))
        else:
            services.report_return(report=report, actor=request.user, note=note)
            messages.success(request, _("Report returned to the participant."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return back(request, "monitoring:report", report.pk)
