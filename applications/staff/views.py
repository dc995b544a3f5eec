"""Programme staff pages: calls, the screening queue and screening decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications import selectors as application_selectors
from applications import services as application_services
from applications.audit.services import access_log
from applications.enums import OfficerCheck
from applications.models import Application, Call, PriorityGroup
from common.page_cache import cached_page
from common.pagination import IdPaginator
from common.views import act_and_report, perm_required, redirect_back, report_form_errors, url_with_id

from . import selectors, services
from .eligibility import automatic_checks
from .filters import ScreeningFilter
from .forms import BulkScreeningForm, CallForm, MessageForm, OfficerChecksForm, RejectForm, ShortlistForm

QUEUE_PAGE_SIZE = 25


@perm_required("applications.see_queue")
@cached_page
def dashboard(request):
    return render(request, "staff/dashboard.html", {"calls": selectors.calls_for_staff()})


@perm_required("applications.manage_calls")
def call_edit(request, pk: int | None = None):
    call = get_object_or_404(Call, pk=pk) if pk else None
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST":
        if form.is_valid():
            call = application_services.call_save(
                call=form.save(commit=False), priority_groups=form.cleaned_data["priority_groups"]
            )
            messages.success(request, _("The call “%(title)s” is saved.") % {"title": call.title})
            return redirect("staff:dashboard")
        messages.error(request, _("Please correct the highlighted fields."))
    return render(request, "staff/call_form.html", {"form": form, "call": call})


@perm_required("applications.see_queue")
@cached_page
def queue(request, pk: int):
    call = get_object_or_404(Call, pk=pk)
    groups = list(PriorityGroup.objects.all())
    filterset = ScreeningFilter(request.GET or None, queryset=selectors.screening_queue(call), groups=groups)
    page = IdPaginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    application_selectors.attach_priority_groups(page, groups)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/queue.html",
        {
            "call": call,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "detail_url": url_with_id("staff:application_detail"),
            "bulk_form": BulkScreeningForm(call=call),
            "can_screen": request.user.has_perm("applications.screen"),
        },
    )


@require_POST
@perm_required("applications.screen")
def queue_bulk(request, pk: int):
    call = get_object_or_404(Call, pk=pk)
    form = BulkScreeningForm(request.POST, call=call)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "staff:queue", call.pk)
    done, failed = services.application_screen_bulk(
        applications=form.cleaned_data["applications"],
        actor=request.user,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    if done:
        messages.success(
            request,
            ngettext("%(count)d application updated.", "%(count)d applications updated.", len(done))
            % {"count": len(done)},
        )
    for application, message in failed:
        messages.warning(request, f"{application.reference}: {message}")
    return redirect_back(request, "staff:queue", call.pk)


@perm_required("applications.see_queue")
def application_detail(request, pk: int):
    application = application_selectors.application_detail(pk)
    if application.is_draft:
        raise PermissionDenied
    access_log(user=request.user, application=application, action="view")
    actions = selectors.screening_actions(request.user, application)
    return render(
        request,
        "staff/application_detail.html",
        {
            "application": application,
            "checks": automatic_checks(application),
            "checks_form": OfficerChecksForm(initial={"checks": list(application.officer_checks)}),
            "officer_checks": [(label, application.officer_checks.get(value)) for value, label in OfficerCheck.choices],
            "shortlist_form": ShortlistForm() if actions.can_shortlist else None,
            "reject_form": RejectForm() if actions.can_reject else None,
            "message_form": MessageForm(),
            "can_screen": actions.can_screen,
            "has_plan": actions.has_plan,
        },
    )


def _screening_post(request, pk: int, form_class, act):
    application = get_object_or_404(Application.objects.submitted(), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        act_and_report(request, lambda: act(application, form.cleaned_data))
    else:
        report_form_errors(request, form)
    return redirect("staff:application_detail", pk=application.pk)


@require_POST
@perm_required("applications.screen")
def application_checks(request, pk: int):
    def act(application, data):
        services.application_screening_save(application=application, actor=request.user, checks=data["checks"])
        messages.success(request, _("Checks saved."))

    return _screening_post(request, pk, OfficerChecksForm, act)


@require_POST
@perm_required("applications.screen")
def application_shortlist(request, pk: int):
    def act(application, data):
        services.application_shortlist(application=application, actor=request.user, note=data["note"])
        messages.success(request, _("%(reference)s is shortlisted.") % {"reference": application.reference})

    return _screening_post(request, pk, ShortlistForm, act)


@require_POST
@perm_required("applications.screen")
def application_reject(request, pk: int):
    def act(application, data):
        services.application_reject(
            application=application, actor=request.user, reason=data["reason"], note=data["note"]
        )
        messages.success(request, _("%(reference)s is rejected.") % {"reference": application.reference})

    return _screening_post(request, pk, RejectForm, act)


@require_POST
@perm_required("applications.screen")
def application_message(request, pk: int):
    def act(application, data):
        services.message_send(application=application, sender=request.user, body=data["body"])
        messages.success(request, _("Message sent."))

    return _screening_post(request, pk, MessageForm, act)
