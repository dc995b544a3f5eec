"""The applicant's plan editor, the plan as submitted, and the officer's review of versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors as application_selectors
from applications.audit.services import access_log
from applications.exceptions import ApplicationError
from applications.models import Application
from common.page_cache import cached_page
from common.uploads import private_file_response
from rates.exceptions import MissingRate

from . import selectors, services
from .completeness import missing_parts
from .diff import version_diff
from .enums import VersionStatus
from .figures import plan_figures
from .forms import ContributionLineFormSet, EquipmentLineFormSet, PlanForm, ProjectionForm, ReturnForm
from .models import ContributionLine, EquipmentLine, PlanVersion


def _plan_forms(request, version: PlanVersion, *, with_files: bool = True):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" and with_files else None
    call = version.plan.application.call
    return (
        PlanForm(data, instance=version),
        ProjectionForm(data, projection=version.projection),
        EquipmentLineFormSet(data, files, instance=version, call=call, prefix="equipment"),
        ContributionLineFormSet(data, files, instance=version, call=call, prefix="contribution"),
    )


def _save_valid(request, version, plan_form, projection_form, equipment, contributions, *, lines=True) -> bool:
    """Keep every part that is valid; return whether all of it was.

    Autosave leaves the lines alone: the page does not learn the ids of rows an autosave would create,
    so the next save would create them again. The browser keeps unsaved rows until the next real save."""
    valid = [plan_form.is_valid(), projection_form.is_valid(), equipment.is_valid(), contributions.is_valid()]
    fields = plan_form.valid_fields()
    # The months that are valid are kept, as every other valid answer; a refused month keeps its saved figure.
    fields["projection"] = projection_form.projection()
    if fields:
        services.plan_update(version=version, actor=request.user, fields=fields)
    for formset, formset_valid in ((equipment, valid[2]), (contributions, valid[3])):
        if formset_valid and lines:
            services.plan_lines_save(version=version, actor=request.user, formset=formset)
    return all(valid)


def _fresh_where_saved(version, forms):
    """After a partial save, show the saved lists as stored, so the page holds the ids of new rows;
    a list with errors stays as the applicant typed it."""
    plan_form, projection_form, equipment, contributions = forms
    call = version.plan.application.call
    if equipment.is_valid():
        equipment = EquipmentLineFormSet(instance=version, call=call, prefix="equipment")
    if contributions.is_valid():
        contributions = ContributionLineFormSet(instance=version, call=call, prefix="contribution")
    return plan_form, projection_form, equipment, contributions


def _own_application(request, pk: int) -> Application:
    return application_selectors.application_of_applicant(request.user, pk)


@login_required
@cached_page
def plan_edit(request, pk: int):
    application = _own_application(request, pk)
    if not selectors.plan_editable(application):
        messages.info(request, _("The business plan can be edited only while the application is shortlisted."))
        return redirect("plans:plan_detail", pk=application.pk)
    try:
        version = services.plan_draft(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(application)
    action = request.POST.get("action", "save")
    forms = _plan_forms(request, version, with_files=action != "autosave")
    if request.method == "POST":
        valid = _save_valid(request, version, *forms, lines=action != "autosave")
        version.refresh_from_db()
        if action == "autosave":
            return JsonResponse(
                {
                    "saved": True,
                    "valid": valid,
                    "saved_at": int(version.updated_at.timestamp() * 1000),
                    # What is still needed, after this save: the page's summary follows without a reload.
                    "missing": [str(part) for part in missing_parts(version)],
                }
            )
        if not valid:
            messages.error(request, _("Some answers need your attention. Everything else you entered is saved."))
            forms = _fresh_where_saved(version, forms)
        elif action == "submit":
            try:
                services.plan_submit(version=version, actor=request.user)
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("plans:plan_edit", pk=application.pk)
            messages.success(request, _("Your business plan is submitted. We have sent you a confirmation email."))
            return redirect("plans:plan_detail", pk=application.pk)
        else:
            messages.success(request, _("Your draft is saved. You can come back to it from any device."))
            return redirect("plans:plan_edit", pk=application.pk)
    plan_form, projection_form, equipment, contributions = forms
    # Versions are numbered from 1 and a draft is always the newest: version 1 has none before it.
    previous = version.plan.versions.exclude(pk=version.pk).order_by("-number").first() if version.number > 1 else None
    if request.method == "POST":
        missing = missing_parts(version)
    else:
        # The unbound formsets' rows are the stored lines, read once for both.
        missing = missing_parts(
            version,
            equipment_lines=equipment.get_queryset(),
            contribution_lines=contributions.get_queryset(),
        )
    return render(
        request,
        "plans/plan_edit.html",
        {
            "application": application,
            "version": version,
            "previous": previous,
            "plan_form": plan_form,
            "projection_form": projection_form,
            "equipment": equipment,
            "contributions": contributions,
            "missing": missing,
            "comments": version.comments.filter(to_applicant=True).select_related("author"),
            "saved_at": int(version.updated_at.timestamp() * 1000),
        },
    )


@require_POST
@login_required
def plan_preview(request, pk: int):
    """The figures as the applicant types them, recomputed here: the server's arithmetic is the truth."""
    application = _own_application(request, pk)
    version = get_object_or_404(PlanVersion, plan__application=application, status=VersionStatus.DRAFT)
    _, _, equipment, contributions = _plan_forms(request, version, with_files=False)
    context = {"application": application, "call": application.call}
    try:
        context["figures"] = plan_figures(
            call=application.call,
            equipment_lines=equipment.unsaved_lines(),
            contribution_lines=contributions.unsaved_lines(),
            on=timezone.localdate(),
        )
    except MissingRate as error:
        context["rate_error"] = error.message
    return render(request, "plans/partials/preview.html", context)


def _viewable_application(request, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    if not request.user.has_perm("plans.view_plan", application):
        raise Http404
    return application


@login_required
def plan_detail(request, pk: int, number: int | None = None):
    """A version of the plan: the latest submitted by default; staff see what changed since the one before."""
    application = _viewable_application(request, pk)
    page = selectors.plan_page(request.user, application, number)
    if page is None:
        raise Http404
    version = page.version
    if version is not None and not page.is_owner:
        access_log(user=request.user, application=application, action="view_plan")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "application": application,
            "versions": page.versions,
            "version": version,
            "previous": page.previous,
            "diff": version_diff(page.previous, version) if page.shows_diff else None,
            "comments": page.comments,
            "is_owner": page.is_owner,
            "is_staff_reader": page.is_staff_reader,
            "can_edit": page.can_edit,
            "return_form": ReturnForm() if page.can_return else None,
        },
    )


@require_POST
@login_required
def plan_return(request, pk: int, number: int):
    application = _viewable_application(request, pk)
    if not request.user.has_perm("plans.return_plan", application):
        raise Http404
    version = get_object_or_404(PlanVersion, plan__application=application, number=number)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.plan_return(version=version, actor=request.user, note=form.cleaned_data["note"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The plan is returned to the applicant for revision."))
    else:
        messages.error(request, _("Tell the applicant what to revise."))
    return redirect("plans:plan_version", pk=application.pk, number=number)


def _serve(request, application, field_file, content_type, action):
    if not field_file:
        raise Http404
    access_log(user=request.user, application=application, action=action)
    return private_file_response(field_file, content_type=content_type)


@login_required
def quote_download(request, line_pk: int):
    line = get_object_or_404(EquipmentLine.objects.select_related("version__plan__application"), pk=line_pk)
    application = line.version.plan.application
    if not request.user.has_perm("plans.view_version", line.version):
        raise Http404
    return _serve(request, application, line.quote, line.quote_type, "download_quote")


@login_required
def evidence_download(request, line_pk: int):
    line = get_object_or_404(ContributionLine.objects.select_related("version__plan__application"), pk=line_pk)
    application = line.version.plan.application
    if not request.user.has_perm("plans.view_version", line.version):
        raise Http404
    return _serve(request, application, line.evidence, line.evidence_type, "download_contribution_evidence")
