"""Staff decision pages (approvers decide, programme officers promote and issue letters) and letter downloads.

Every page is for programme staff (`applications.see_queue`); who may make which decision is the services'
rule (grants.services): a refused actor gets 403, a refused decision comes back as a message on the page.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from applications.access import perm_required
from applications.enums import ApplicationStatus
from applications.exceptions import ApplicationError
from applications.matching import format_usd
from applications.models import Application, Call
from applications.services import access_log
from plans.selectors import latest_submitted_version

from . import selectors, services
from .access import can_download_letter
from .enums import DeclineReason, LetterKind, LetterStatus
from .forms import BulkApproveForm, DeclineForm, LetterBatchForm, NoteForm
from .models import Letter, LetterBatch

STAFF = "applications.see_queue"
# How often the batch page asks for its progress while letters are still being prepared, in seconds.
PROGRESS_REFRESH_SECONDS = 1
# A batch with letters still pending this long after it was (re)started may have lost its worker: offer resuming.
RESUME_AFTER = timedelta(seconds=30)


def _back(request, default: str, *args) -> str:
    """The page the form was on (`next`, when it is a path on this site), or `default`: decided before the
    action runs, so that a bad `next` can never fail a request after its decision was written."""
    target = request.POST.get("next", "")
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default, args=args)


def _report_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _roles(user) -> dict:
    return {
        "can_decide": has_role(user, Role.APPROVER),
        "can_promote": has_role(user, Role.PROGRAMME_OFFICER),
    }


# --- Pages --------------------------------------------------------------------------------------------------


@perm_required(STAFF)
def calls(request):
    return render(request, "grants/calls.html", {"calls": selectors.calls_with_decisions()})


@perm_required(STAFF)
def call_decisions(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    decisions = selectors.call_decisions(call, viewer=request.user)
    return render(
        request,
        "grants/call_decisions.html",
        {
            "call": call,
            "decisions": decisions,
            "letter_blocks": [
                (decisions.award_letters, LetterKind.AWARD.label, LetterKind.AWARD),
                (decisions.decline_letters, LetterKind.DECLINE.label, LetterKind.DECLINE),
            ],
            "decline_reasons": DeclineReason.choices,
            "other_reason": DeclineReason.OTHER,
            "kinds": LetterKind,
            "bulk_form": BulkApproveForm(),
            **_roles(request.user),
        },
    )


@perm_required(STAFF)
def application_decision(request, application_id: int):
    application = selectors.application_for_decision(application_id)
    access_log(user=request.user, application=application, action="view_decision")
    call = application.call
    score, position = selectors.ranking_place(application)
    letters_by_kind = {kind: [] for kind in LetterKind.values}
    for letter in application.letters.all():
        letters_by_kind[letter.kind].append(letter)
    issuable = [
        (kind, LetterKind(kind).label)
        for kind, statuses in services.LETTER_STATUSES.items()
        if application.status in statuses and not letters_by_kind[kind]
    ]
    return render(
        request,
        "grants/application_decision.html",
        {
            "application": application,
            "call": call,
            "version": latest_submitted_version(application),
            "grant": selectors.application_grant(application),
            "score": score,
            "position": position,
            "decidable": application.status in services.DECIDABLE,
            "waitlisted": application.status == ApplicationStatus.WAITLISTED,
            "recommended_by_viewer": call.two_person_rule and request.user.pk in services.recommenders(application),
            "letter_groups": [
                (LetterKind(kind).label, letters) for kind, letters in letters_by_kind.items() if letters
            ],
            "issuable": issuable,
            "decline_reasons": DeclineReason.choices,
            "other_reason": DeclineReason.OTHER,
            **_roles(request.user),
        },
    )


# --- Decisions ----------------------------------------------------------------------------------------------


def _decide(request, application_id: int, form_class, act):
    """Run the form, then the service; a refused decision is a message, a refused actor a 403."""
    application = get_object_or_404(Application.objects.select_related("call"), pk=application_id)
    back = _back(request, "grants:call_decisions", application.call_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            # Atomic with anything the view does after the service: a failure leaves no decision row.
            with transaction.atomic():
                messages.success(request, act(application, form.cleaned_data))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        _report_errors(request, form)
    return redirect(back)


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
        _report_errors(request, form)
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
    return redirect("grants:call_decisions", call.pk)


# --- Letters ------------------------------------------------------------------------------------------------


@require_POST
@perm_required(STAFF)
def letters_start(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    form = LetterBatchForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect("grants:call_decisions", call.pk)
    batch = services.letters_batch_start(call=call, kind=form.cleaned_data["kind"], actor=request.user)
    return redirect("grants:batch", batch.pk)


@require_POST
@perm_required(STAFF)
def letter_issue(request, application_id: int):
    """Prepare the application's letter of a kind, or try a failed one again (the service decides which)."""
    application = get_object_or_404(Application, pk=application_id)
    back = _back(request, "grants:application", application.pk)
    form = LetterBatchForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
    else:
        try:
            with transaction.atomic():
                letter = services.letter_issue(
                    application=application, kind=form.cleaned_data["kind"], actor=request.user
                )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if letter.is_ready:
                messages.info(request, _("This letter is ready."))
            else:
                messages.success(request, _("The letter is being prepared."))
    return redirect(back)


@require_POST
@perm_required(STAFF)
def letter_regenerate(request, letter_id: int):
    letter = get_object_or_404(Letter, pk=letter_id)
    back = _back(request, "grants:application", letter.application_id)
    try:
        with transaction.atomic():
            new = services.letter_regenerate(letter=letter, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(version)d of the letter is being prepared.") % {"version": new.version})
    return redirect(back)


def _batch_context(batch: LetterBatch) -> dict:
    progress = services.batch_progress(batch)
    started = batch.resumed_at or batch.created_at
    stalled = progress.pending and timezone.now() - started > RESUME_AFTER
    return {
        "batch": batch,
        "progress": progress,
        "failed_letters": selectors.batch_failed_letters(batch) if progress.failed else [],
        "can_resume": bool(stalled or progress.failed),
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
    }


@perm_required(STAFF)
def batch(request, batch_id: int):
    return render(request, "grants/batch.html", _batch_context(selectors.batch_for_staff(batch_id)))


@perm_required(STAFF)
def batch_progress(request, batch_id: int):
    """The progress block alone, polled by htmx until the batch is finished."""
    response = render(
        request, "grants/partials/batch_progress.html", _batch_context(selectors.batch_for_staff(batch_id))
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@perm_required(STAFF)
def batch_resume(request, batch_id: int):
    batch = selectors.batch_for_staff(batch_id)
    services.letters_batch_resume(batch=batch, actor=request.user)
    messages.success(request, _("The batch is resumed: its unfinished letters are queued again."))
    return redirect("grants:batch", batch.pk)


def letter_download(request, letter_id: int):
    """A ready letter as a PDF, to its applicant or to programme staff (audited); a 404 for everyone else,
    whether the letter exists or not, so that ids cannot be probed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    letter = Letter.objects.select_related("application").filter(pk=letter_id, status=LetterStatus.READY).first()
    if letter is None or not can_download_letter(request.user, letter):
        raise Http404
    access_log(user=request.user, application=letter.application, action="letter_download")
    response = FileResponse(
        letter.file.open("rb"), as_attachment=True, filename=letter.filename(), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
