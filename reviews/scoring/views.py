"""Reviewers' pages: their sessions, the conflict-of-interest declaration, the plan with the score sheet,
and the chair's live view of the panel's progress.

Whether a user may see an application's plan, score it or see its scores is decided in
`reviews.scoring.selectors`; anyone not on the panel, or conflicted, gets a 404 and no hint that it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from applications.exceptions import ActorNotAllowed
from applications.models import Application
from common.views import act_and_report, perm_required, report_form_errors
from reviews.enums import ACTIVE_SLOTS, SlotStatus
from reviews.models import ConflictDeclaration, DefenseSession, DefenseSlot, ScoreSheet
from reviews.sessions import services as session_services
from reviews.sessions.forms import ConflictClearForm

from . import selectors, services
from .forms import DeclarationForm, ReopenForm, ScoreForm
from .selectors import ReviewState

# How often the chair's progress table reloads itself, in seconds.
PROGRESS_REFRESH_SECONDS = 5


def home(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("reviews.review"):
        raise PermissionDenied
    return render(
        request,
        "reviews/reviewer/home.html",
        {"sessions": selectors.sessions_of_reviewer(request.user), "states": ReviewState},
    )


def _application_on_panel(request, pk: int) -> Application:
    application = Application.objects.select_related("call").filter(pk=pk).first()
    if application is None or not selectors.is_panel_member_for(request.user, application):
        raise Http404
    return application


def _application_cleared(request, pk: int) -> Application:
    application = _application_on_panel(request, pk)
    if not selectors.reviewer_may_see_plan(request.user, application):
        raise Http404
    return application


@login_required
def declare(request, pk: int):
    application = _application_on_panel(request, pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                application=application,
                reviewer=request.user,
                conflicted=form.conflicted,
                reason=form.cleaned_data["reason"],
            )
        except ActorNotAllowed as error:  # a conflict declared earlier: final for the reviewer
            messages.error(request, str(error))
            status = 403
        except services.ReviewError as error:
            form.add_error("reason", error.message)
        else:
            if form.conflicted:
                messages.success(
                    request, _("Your conflict of interest is recorded. You will not see or score this plan.")
                )
                return redirect("reviewing:home")
            messages.success(request, _("Your declaration is recorded. You can now read and score the plan."))
            return redirect("reviewing:application", pk=application.pk)
    declarations = list(selectors.declarations_of(request.user, application))
    return render(
        request,
        "reviews/reviewer/declare.html",
        {
            "application": application,
            "form": form,
            "declarations": declarations,
            # A conflict in force is final for the reviewer: the page says so instead of offering the form.
            "conflict_in_force": bool(declarations) and declarations[-1].conflicted,
        },
        status=status,
    )


def _application_page(request, application: Application, form: ScoreForm | None = None, *, status: int = 200):
    page = selectors.reviewer_sheet_page(request.user, application)
    if page.version is not None:
        access_log(user=request.user, application=application, action="view_plan")
    if form is None and page.can_score:
        form = ScoreForm(criteria=page.criteria, sheet=page.sheet)
    return render(
        request,
        "reviews/reviewer/application.html",
        {
            "application": application,
            "version": page.version,
            "criteria": page.criteria,
            "sheet": page.sheet,
            "submitted": page.submitted,
            "form": form if page.can_score else None,
            "own_rows": page.own_rows(),
            "peers": page.peer_rows(),
        },
        status=status,
    )


@login_required
def application_detail(request, pk: int):
    application = _application_on_panel(request, pk)
    declaration = selectors.current_declaration(application, request.user)
    if declaration is None:
        messages.info(request, _("Declare whether you have a conflict of interest before you see the plan."))
        return redirect("reviewing:declare", pk=application.pk)
    if declaration.conflicted:
        raise Http404
    return _application_page(request, application)


@require_POST
@login_required
def score(request, pk: int):
    application = _application_cleared(request, pk)
    form = ScoreForm(request.POST, criteria=selectors.criteria_of(application))
    if not form.is_valid():
        messages.error(request, _("Some scores need your attention."))
        return _application_page(request, application, form, status=400)
    submit = request.POST.get("action") == "submit"
    try:
        services.score_save(
            application=application, reviewer=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
        )
        if submit:
            services.score_submit(application=application, reviewer=request.user)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        if submit:
            messages.success(request, _("Your scores are submitted. You can now see the other reviewers' scores."))
        else:
            messages.success(request, _("Your draft is saved."))
    return redirect("reviewing:application", pk=application.pk)


def _chaired_session(request, pk: int) -> DefenseSession:
    session = DefenseSession.objects.select_related("call").filter(pk=pk).first()
    if session is None or session.chair_id != request.user.pk or session.cancelled_at is not None:
        raise Http404
    return session


def _chair_context(session: DefenseSession, viewer) -> dict:
    rubric, progress = selectors.chair_progress(session, viewer)
    scheduled = [item.slot for item in progress if item.slot.status == SlotStatus.SCHEDULED]
    for slot in scheduled:
        slot.session = session
    return {
        "session": session,
        "to_record": [slot for slot in scheduled if session_services.outcome_open(slot, viewer)],
        "session_started": session_services.session_starts_at(session) <= timezone.now(),
        "rubric": rubric,
        "progress": progress,
        "states": ReviewState,
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
    }


@login_required
def chair(request, pk: int):
    session = _chaired_session(request, pk)
    return render(
        request, "reviews/reviewer/chair.html", {**_chair_context(session, request.user), "reopen_form": ReopenForm()}
    )


@login_required
def chair_progress(request, pk: int):
    """The progress table alone, reloaded by htmx every few seconds."""
    session = _chaired_session(request, pk)
    return render(request, "reviews/reviewer/partials/progress.html", _chair_context(session, request.user))


@require_POST
@login_required
def reopen(request, pk: int, sheet_pk: int):
    session = _chaired_session(request, pk)
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("application", "reviewer")
        .filter(
            application__defense_slots__session=session,
            application__defense_slots__status__in=ACTIVE_SLOTS,
        )
        .distinct(),
        pk=sheet_pk,
    )
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.score_reopen(sheet=sheet, chair=request.user, reason=reason)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The score sheet of %(reviewer)s for %(application)s is reopened.")
            % {"reviewer": sheet.reviewer, "application": sheet.application},
        )
    return redirect("reviewing:chair", pk=session.pk)


def _record(request, pk: int, slot_pk: int, mark, done: str):
    """The chair records the outcome of a slot of their session (reviews.sessions.services.outcome_open)."""
    session = _chaired_session(request, pk)
    slot = get_object_or_404(DefenseSlot.objects.select_related("application"), pk=slot_pk, session=session)
    reference = slot.application.reference
    act_and_report(request, lambda: mark(slot=slot, actor=request.user), done % {"reference": reference})
    return redirect("reviewing:chair", pk=session.pk)


@require_POST
@login_required
def chair_defended(request, pk: int, slot_pk: int):
    return _record(request, pk, slot_pk, session_services.slot_mark_defended, _("%(reference)s is marked as defended."))


@require_POST
@login_required
def chair_no_show(request, pk: int, slot_pk: int):
    return _record(
        request, pk, slot_pk, session_services.slot_mark_no_show, _("%(reference)s is marked as not attending.")
    )


@require_POST
@perm_required("reviews.clear_conflict")
def conflict_clear(request, pk: int):
    """An officer clears a reviewer's declared conflict of interest, with a reason (a new, audited row)."""
    declaration = get_object_or_404(ConflictDeclaration.objects.select_related("application", "reviewer"), pk=pk)
    form = ConflictClearForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
    else:
        act_and_report(
            request,
            lambda: services.conflict_clear(
                declaration=declaration, officer=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The conflict of interest of %(reviewer)s on %(reference)s is cleared.")
            % {"reviewer": declaration.reviewer, "reference": declaration.application.reference},
        )
    session = DefenseSession.objects.filter(slots__application_id=declaration.application_id).order_by("-pk").first()
    if session is None:
        return redirect("defense:call", call_pk=declaration.application.call_id)
    return redirect("defense:session", pk=session.pk)
