"""Staff decision pages (approvers decide, programme officers promote and issue letters) and letter downloads.

Every page is for programme staff (`applications.see_queue`); who may make which decision is the services'
rule (grants.decisions.services): a refused actor gets 403, a refused decision comes back as a message on the page.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from applications.models import Application, Call
from common.money import format_usd
from common.page_cache import cached_page
from common.views import act_and_report, local_path, perm_required, redirect_back, report_form_errors, url_with_id
from grants.enums import DeclineReason, LetterKind
from plans.selectors import latest_submitted_version

from . import call_page, selectors, services
from .forms import BulkApproveForm, DecisionFilterForm, DeclineForm, NoteForm

STAFF = "applications.see_queue"
TAB_LABELS = (_lazy("To decide"), _lazy("Approved grants and letters"), _lazy("Declined"))  # call_page.TABS


# --- Pages --------------------------------------------------------------------------------------------------


@perm_required(STAFF)
@cached_page
def calls(request):
    return render(request, "grants/calls.html", {"calls": selectors.calls_with_decisions()})


# The rows' links and forms, reversed once a page (common.views.url_with_id) rather than once a row.
ROW_URLS = (
    "application",
    "approve_confirm",
    "decline_confirm",
    "keep_waitlisted",
    "letter_issue",
    "letter_regenerate_confirm",
)


@perm_required(STAFF)
@cached_page
def call_decisions(request, call_id: int):
    tab = request.GET.get("tab")
    tab = tab if tab in call_page.TABS else call_page.TABS[0]
    filter_form = DecisionFilterForm(request.GET)
    decisions = call_page.call_decisions(
        call_id, viewer=request.user, tab=tab, page_number=request.GET.get("page"), filters=filter_form.filters()
    )
    call = decisions.call
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "grants/call_decisions.html",
        {
            "call": call,
            "decisions": decisions,
            "tab": tab,
            "tabs": [
                (name, label, getattr(decisions.counts, name))
                for name, label in zip(call_page.TABS, TAB_LABELS, strict=True)
            ],
            # Each row's reason list: the same options, joined once a page.
            "reason_options": format_html_join("", '<option value="{}">{}</option>', DeclineReason.choices),
            "kinds": LetterKind,
            "bulk_form": BulkApproveForm(),
            "filter_form": filter_form,
            "page": decisions.page,
            "query": query.urlencode(),
            "here": request.get_full_path(),
            "urls": {name: url_with_id(f"grants:{name}") for name in ROW_URLS}
            | {"download": url_with_id("letters:download")},
            **vars(selectors.decision_roles(request.user)),
        },
    )


@perm_required(STAFF)
def application_decision(request, application_id: int):
    page = selectors.decision_page(application_id, request.user)
    access_log(user=request.user, application=page.application, action="view_decision")
    return render(
        request,
        "grants/application_decision.html",
        {
            **vars(page),
            "call": page.application.call,
            "decline_reasons": DeclineReason.choices,
            "other_reason": DeclineReason.OTHER,
        },
    )


# --- Decisions ----------------------------------------------------------------------------------------------


@perm_required(STAFF)
def decision_confirm(request, application_id: int, action: str):
    """The step before approving or declining one application: what the decision does and who learns of it.
    A GET that writes nothing (the form's fields ride along in the query); its button posts to `approve` or
    `decline`. Works without JavaScript."""
    application = get_object_or_404(Application.objects.select_related("call"), pk=application_id)
    form = (DeclineForm if action == "decline" else NoteForm)(request.GET)
    form.is_valid()
    call = application.call
    version = latest_submitted_version(application)
    reason = form.cleaned_data.get("reason", "")
    return render(
        request,
        "grants/decisions/confirm.html",
        {
            "application": application,
            "action": action,
            "note": form.cleaned_data.get("note", ""),
            "reason": reason,
            "reason_label": DeclineReason(reason).label if reason in DeclineReason.values else "",
            "grant": version.grant_usd if version else None,
            "remaining": call.budget_envelope - selectors.call_committed(call),
            "next": local_path(request.GET.get("next", "")),
        },
    )


def _decide(request, application_id: int, form_class, act):
    """Run the form, then the service; a refused decision is a message, a refused actor a 403."""
    application = get_object_or_404(Application.objects.select_related("call"), pk=application_id)
    form = form_class(request.POST)
    if form.is_valid():
        act_and_report(request, lambda: act(application, form.cleaned_data), success=str)
    else:
        report_form_errors(request, form)
    return redirect_back(request, "grants:call_decisions", application.call_id)


@require_POST
@perm_required(STAFF)
def approve(request, application_id: int):
    def act(application, data):
        score, position = selectors.ranking_place(application)
        grant = services.grant_approve(
            application=application, actor=request.user, note=data["note"], score=score, rank=position
        )
        return _("%(reference)s is approved: grant %(number)s, %(grant)s.") % {
            "reference": application.reference,
            "number": grant.agreement_number,
            "grant": format_usd(grant.grant_usd),
        }

    return _decide(request, application_id, NoteForm, act)


@require_POST
@perm_required(STAFF)
def decline(request, application_id: int):
    def act(application, data):
        services.grant_decline(application=application, actor=request.user, reason=data["reason"], note=data["note"])
        return _("%(reference)s is declined.") % {"reference": application.reference}

    return _decide(request, application_id, DeclineForm, act)


@require_POST
@perm_required(STAFF)
def keep_waitlisted(request, application_id: int):
    def act(application, data):
        services.grant_keep_waitlisted(application=application, actor=request.user, note=data["note"])
        return _("%(reference)s stays on the waiting list.") % {"reference": application.reference}

    return _decide(request, application_id, NoteForm, act)


@require_POST
@perm_required(STAFF)
def promote(request, application_id: int):
    def act(application, data):
        services.waitlist_promote(application=application, actor=request.user, note=data["note"])
        return _("%(reference)s is promoted from the waiting list and recommended.") % {
            "reference": application.reference
        }

    return _decide(request, application_id, NoteForm, act)


@require_POST
@perm_required(STAFF)
def approve_bulk(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("grants:call_decisions", call.pk)
    ranked = selectors.ranked_for_approval(call, include_waitlisted=form.cleaned_data["include_waitlisted"])
    if not ranked:
        messages.info(request, _("There are no applications to approve."))
        return redirect("grants:call_decisions", call.pk)
    result = services.grants_approve_bulk(ranked=ranked, actor=request.user)
    if result.approved:
        messages.success(
            request,
            ngettext(
                "%(count)d grant approved in rank order: %(references)s.",
                "%(count)d grants approved in rank order: %(references)s.",
                len(result.approved),
            )
            % {
                "count": len(result.approved),
                "references": ", ".join(grant.application.reference for grant in result.approved),
            },
        )
    else:
        messages.warning(request, _("No grant was approved."))
    for application, reason in result.skipped:
        messages.warning(
            request, _("%(reference)s skipped: %(reason)s") % {"reference": application.reference, "reason": reason}
        )
    # The grants just approved, and their award letters to generate next; what stays waiting is a tab away.
    target = reverse("grants:call_decisions", args=[call.pk])
    return redirect(f"{target}?tab=grants" if result.approved else target)


# --- Letters ------------------------------------------------------------------------------------------------
