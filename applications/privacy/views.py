"""The person's "My data" page (consents, a copy of their data, erasure) and the officers' erasure queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.enums import ErasureStatus
from applications.models import Application, ErasureRequest
from common.views import perm_required

from ..audit.actions import AccessAction
from ..audit.services import access_log_many
from ..exceptions import ApplicationError
from . import selectors, services
from .export import personal_data_zip
from .forms import ConsentChangeForm, ErasureDecisionForm, ErasureRequestForm


@login_required
def my_data(request):
    requests = selectors.erasure_requests_of(request.user)
    return render(
        request,
        "privacy/my_data.html",
        {
            "overview": selectors.consent_overview(request.user),
            "erasure_requests": requests,
            "erasure_pending": any(erasure.status == ErasureStatus.PENDING for erasure in requests),
            "erasure_form": ErasureRequestForm(),
        },
    )


@require_POST
@login_required
def consent_change(request, pk: int):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This consent cannot be changed."))
        return redirect("privacy:my_data")
    purpose, action = form.cleaned_data["purpose"], form.cleaned_data["action"]
    try:
        if action == "give":
            services.consent_give(application=application, purpose=purpose, actor=request.user)
            messages.success(request, _("Thank you: your consent is recorded."))
        else:
            services.consent_withdraw(application=application, purpose=purpose, actor=request.user)
            messages.success(request, _("Your consent is withdrawn. It takes effect now."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("privacy:my_data")


@require_POST
@login_required
def download(request):
    content, filename = personal_data_zip(request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def erasure_request(request):
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("privacy:my_data")
    try:
        services.erasure_request_create(user=request.user, note=form.cleaned_data["note"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is sent. A programme officer will handle it and tell you by email."))
    return redirect("privacy:my_data")


@perm_required("applications.screen")
def erasure_queue(request):
    return render(request, "privacy/erasure_queue.html", {"requests": selectors.erasure_queue()})


@perm_required("applications.screen")
def erasure_detail(request, pk: int):
    erasure = get_object_or_404(ErasureRequest.objects.select_related("user", "decided_by"), pk=pk)
    applications = list(
        Application.objects.filter(applicant=erasure.user).select_related("call").order_by("created_at")
    )
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST":
        if erasure.status != ErasureStatus.PENDING:
            raise PermissionDenied
        if form.is_valid():
            try:
                _decide(request, erasure, form.cleaned_data)
            except ApplicationError as error:
                messages.error(request, error.message)
            return redirect("privacy:erasure_queue")
    else:
        access_log_many(user=request.user, applications=applications, action=AccessAction.VIEW_ERASURE_REQUEST)
    return render(
        request,
        "privacy/erasure_detail.html",
        {
            "erasure": erasure,
            "applications": applications,
            "form": form,
            "pending": erasure.status == ErasureStatus.PENDING,
        },
    )


def _decide(request, erasure: ErasureRequest, data: dict) -> None:
    if data["decision"] == "refuse":
        services.erasure_refuse(request=erasure, actor=request.user, reason=data["message"])
        messages.success(request, _("The request is refused; the person is told why."))
        return
    services.erasure_complete(request=erasure, actor=request.user, message=data["message"])
    messages.success(request, _("The person's data are erased; they are told by email."))
