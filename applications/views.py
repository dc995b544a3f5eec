"""Public pages and the applicant's own pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from common.page_cache import cached_page
from common.uploads import private_file_response
from common.views import perm_required

from . import selectors, services
from .audit.services import access_log
from .enums import NEXT_STEP, ApplicationStatus
from .exceptions import ApplicationError
from .forms import (
    BusinessForm,
    DeclarationsForm,
    EquipmentFormSet,
    MigrationForm,
    MoneyForm,
    PersonalForm,
    WithdrawForm,
)
from .models import Application, Call
from .submission import STEPS, missing_fields, step_by_slug

STEP_FORMS = {
    "personal": PersonalForm,
    "migration": MigrationForm,
    "business": BusinessForm,
    "money": MoneyForm,
}


def home(request):
    return render(request, "home.html", {"calls": selectors.calls_public()[:3]})


@cached_page
def call_list(request):
    return render(request, "applications/call_list.html", {"calls": selectors.calls_public(), "now": timezone.now()})


@cached_page
def call_detail(request, pk: int):
    call = get_object_or_404(Call.objects.select_related("programme").prefetch_related("priority_groups"), pk=pk)
    existing = None
    if request.user.is_authenticated:
        existing = call.applications.filter(applicant=request.user).first()
    return render(request, "applications/call_detail.html", {"call": call, "existing": existing})


@require_POST
@perm_required("applications.apply")
def apply(request, pk: int):
    call = get_object_or_404(Call, pk=pk)
    try:
        application, created = services.application_start(call=call, applicant=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(call)
    if not created:
        messages.info(request, _("You already have an application in this call; here it is."))
        return redirect(application)
    return redirect("applications:application_step", pk=application.pk, step=STEPS[0].slug)


@login_required
def application_detail(request, pk: int):
    if request.user.has_perm("applications.see_queue"):
        return redirect("staff:application_detail", pk=pk)
    application = selectors.application_of_applicant(request.user, pk)
    application = selectors.application_detail(application.pk)
    services.messages_mark_read(application=application, reader=request.user)
    steps = [(step, missing_fields(application, step)) for step in STEPS[:-1]] if application.is_draft else []
    # The officer's explanation is the note of the move to rejected (status changes are prefetched, oldest first).
    changes = application.status_changes.all()
    rejections = [change for change in changes if change.to_status == ApplicationStatus.REJECTED]
    actions = selectors.applicant_actions(request.user, application)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "next_step": NEXT_STEP[application.status],
            "steps": steps,
            "can_withdraw": actions.can_withdraw,
            "has_plan": actions.has_plan,
            "rejection_note": rejections[-1].note_text if rejections else "",
        },
    )


def _step_context(application, step, form=None, formset=None):
    index = [s.slug for s in STEPS].index(step.slug)
    return {
        "application": application,
        "step": step,
        "steps": STEPS,
        "step_index": index,
        "previous_step": STEPS[index - 1] if index else None,
        "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
        "form": form,
        "formset": formset,
        "saved_at": int(application.updated_at.timestamp() * 1000),
    }


def _build_forms(request, application, step, draft: bool):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if step.slug == "declarations":
        notices = selectors.consent_notices_current()
        agreed = set(application.consents.filter(withdrawn_at__isnull=True).values_list("notice_id", flat=True))
        return DeclarationsForm(data, application=application, notices=notices, agreed=agreed, draft=draft), None
    form = STEP_FORMS[step.slug](data, files, instance=application, draft=draft)
    formset = None
    if step.slug == "money":
        formset = EquipmentFormSet(data, application=application, prefix="equipment")
        if draft:
            formset.validate_min = False
    return form, formset


def _save_step(request, application, step, form, formset) -> bool:
    """Keep everything valid; return whether the whole step was valid."""
    form_valid = form.is_valid()
    formset_valid = formset is None or formset.is_valid()
    if step.slug == "declarations":
        if form_valid:
            services.application_update(
                application=application,
                actor=request.user,
                fields={"priority_groups": form.cleaned_data["priority_groups"]},
            )
            services.application_consents_set(
                application=application,
                actor=request.user,
                notices=form.notices,
                agreed=form.agreed_notices(),
            )
        return form_valid
    fields = form.valid_fields()
    if fields:
        services.application_update(application=application, actor=request.user, fields=fields)
    if formset is not None and formset_valid:
        services.application_equipment_replace(application=application, actor=request.user, items=formset.items())
    return form_valid and formset_valid


@sensitive_post_parameters()  # error reports never show the answers (dates of birth, phones, stories)
@login_required
def application_step(request, pk: int, step: str):
    application = selectors.application_of_applicant(request.user, pk)
    current = step_by_slug(step)
    if current is None:
        raise Http404
    if not application.is_draft:
        messages.info(request, _("This application has been submitted and can no longer be changed."))
        return redirect(application)
    if current.slug == "review":
        return _review(request, application, current)

    action = request.POST.get("action", "next")
    draft = action in ("save", "back", "autosave")
    if action == "autosave" and "migration_evidence" in request.FILES:
        request.FILES.pop("migration_evidence")
    form, formset = _build_forms(request, application, current, draft=draft)
    if request.method == "POST":
        valid = _save_step(request, application, current, form, formset)
        application.refresh_from_db()
        if action == "autosave":
            return JsonResponse(
                {
                    "saved": True,
                    "valid": valid,
                    "saved_at": int(application.updated_at.timestamp() * 1000),
                }
            )
        if valid:
            context = _step_context(application, current)
            target = {"back": context["previous_step"], "next": context["next_step"]}.get(action)
            if action == "save" or target is None:
                messages.success(request, _("Your draft is saved. You can come back to it from any device."))
                target = current
            return redirect("applications:application_step", pk=application.pk, step=target.slug)
        messages.error(request, _("Some answers need your attention. Everything else you entered is saved."))
    return render(request, "applications/application_step.html", _step_context(application, current, form, formset))


def _review(request, application, step):
    application = selectors.application_detail(application.pk)
    context = _step_context(application, step)
    context["missing"] = [(s, missing_fields(application, s)) for s in STEPS[:-1]]
    context["complete"] = not any(fields for _, fields in context["missing"])
    context["call_open"] = application.call.is_open()
    return render(request, "applications/application_review.html", context)


@require_POST
@login_required
def application_submit(request, pk: int):
    application = selectors.application_of_applicant(request.user, pk)
    try:
        application = services.application_submit(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        if application.is_draft:
            return redirect("applications:application_step", pk=application.pk, step="review")
        return redirect(application)
    messages.success(
        request,
        _("Your application %(reference)s is submitted. We have sent you a confirmation email.")
        % {"reference": application.reference},
    )
    return redirect(application)


@login_required
def application_withdraw(request, pk: int):
    application = selectors.application_of_applicant(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, actor=request.user, note=form.cleaned_data["note"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect(application)
    return render(request, "applications/application_withdraw.html", {"application": application, "form": form})


@login_required
def application_evidence(request, pk: int):
    """Serve an applicant's document to the applicant and to programme staff only, never by a public URL."""
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    if not request.user.has_perm("applications.read_application", application):
        raise Http404
    if not application.migration_evidence:
        raise Http404
    access_log(user=request.user, application=application, action="download_evidence")
    return private_file_response(application.migration_evidence, content_type=application.migration_evidence_type)
