"""Consultation pages: officers assign consultants; consultants log sessions and comment on plans."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from applications.exceptions import ApplicationError
from applications.models import Call
from common.views import perm_required, report_form_errors
from plans import selectors as plan_selectors
from plans.enums import PlanSection

from . import selectors, services
from .forms import CommentForm, ConsultantAssignForm, SessionForm


@perm_required("plans.assign_consultants")
def assign(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    form = ConsultantAssignForm(request.POST if request.method == "POST" else None, call=call)
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.consultants_assign(
                    applications=form.cleaned_data["applications"],
                    consultant=form.cleaned_data["consultant"],
                    actor=request.user,
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d application assigned to %(consultant)s.",
                        "%(count)d applications assigned to %(consultant)s.",
                        count,
                    )
                    % {"count": count, "consultant": form.cleaned_data["consultant"]},
                )
                return redirect("consultations:assign", call_pk=call.pk)
        else:
            report_form_errors(request, form)
    selected = {str(pk) for pk in (form["applications"].value() or [])} if form.is_bound else set()
    return render(
        request,
        "plans/consultations/assign.html",
        {
            "call": call,
            "form": form,
            "rows": [
                (application, str(application.pk) in selected)
                for application in selectors.applications_for_assignment(call)
            ],
        },
    )


@perm_required("plans.see_my_applicants")
def home(request):
    return render(
        request,
        "plans/consultations/home.html",
        {"applications": selectors.applications_of_consultant(request.user)},
    )


def _detail(request, application, *, versions=None, session_form=None, comment_form=None):
    if versions is None:
        versions = plan_selectors.plan_versions(application)
    latest = versions[-1] if versions else None
    return render(
        request,
        "plans/consultations/application.html",
        {
            "application": application,
            "sessions": selectors.sessions_of(application),
            "versions": versions,
            "latest": latest,
            "sections": [(label, getattr(latest, name)) for name, label in PlanSection.choices] if latest else [],
            "session_form": session_form or SessionForm(),
            "comment_form": comment_form or (CommentForm() if latest else None),
        },
    )


@login_required
def application(request, pk: int):
    application = selectors.application_of_consultant(request.user, pk)
    access_log(user=request.user, application=application, action="consult")
    return _detail(request, application)


@require_POST
@login_required
def session_log(request, pk: int):
    application = selectors.application_of_consultant(request.user, pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The session is not saved yet: please correct the highlighted fields."))
        return _detail(request, application, session_form=form)
    try:
        services.consultation_log(application=application, consultant=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        messages.error(request, _("The session is not saved yet: please correct the highlighted fields."))
        return _detail(request, application, session_form=form)
    messages.success(request, _("The session is logged."))
    return redirect("consultations:application", pk=application.pk)


@require_POST
@login_required
def comment_add(request, pk: int):
    application = selectors.application_of_consultant(request.user, pk)
    versions = plan_selectors.plan_versions(application)
    if not versions:
        messages.error(request, _("The applicant has not started a business plan yet; there is nothing to comment on."))
        return redirect("consultations:application", pk=application.pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is not saved yet: please correct the highlighted fields."))
        return _detail(request, application, versions=versions, comment_form=form)
    services.plan_comment_add(version=versions[-1], author=request.user, **form.cleaned_data)
    messages.success(request, _("Your comment on version %(number)s is saved.") % {"number": versions[-1].number})
    return redirect("consultations:application", pk=application.pk)
