"""Programme officers' defense-session pages: sessions of a call, scheduling, slots and panels.

Approvers may look at these pages (`applications.see_queue`); only programme officers
(`applications.manage_calls`) change anything.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.enums import ApplicationStatus
from applications.exceptions import ApplicationError
from applications.models import Call
from common.views import act_and_report, perm_required, report_form_errors
from reviews.models import ConflictDeclaration, DefenseSession, DefenseSlot
from reviews.scoring import services as scoring_services

from . import selectors, services
from .forms import CancelForm, ConflictClearForm, MemberAddForm, MoveForm, ScheduleForm, SessionForm

VIEW = "applications.see_queue"
MANAGE = "applications.manage_calls"


@perm_required(VIEW)
def call_sessions(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    return render(
        request,
        "reviews/sessions/call.html",
        {
            "call": call,
            "rubric": selectors.rubric_of(call),
            "sessions": selectors.sessions_of_call(call),
            "waiting": selectors.applications_waiting(call),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_POST
@perm_required(MANAGE)
def schedule_automatically(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    waiting = list(selectors.applications_waiting(call).filter(status=ApplicationStatus.PLAN_SUBMITTED))
    try:
        slots = services.slots_schedule_automatically(call=call, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("defense:call", call_pk=call.pk)
    messages.success(
        request,
        ngettext("%(count)d application scheduled.", "%(count)d applications scheduled.", len(slots))
        % {"count": len(slots)},
    )
    placed = {slot.application_id for slot in slots}
    left = [application.reference for application in waiting if application.pk not in placed]
    if left:
        messages.warning(
            request,
            _("No free slot left for: %(references)s. Add a session or more capacity.")
            % {"references": ", ".join(left)},
        )
    return redirect("defense:call", call_pk=call.pk)


def _session_form_page(request, *, call: Call, session: DefenseSession):
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.session_save(
                    session=form.save(commit=False), members=form.cleaned_data["members"], actor=request.user
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The defense session of %(session)s is saved.") % {"session": session})
                return redirect("defense:session", pk=session.pk)
        messages.error(request, _("The session is not saved yet: please correct the highlighted fields."))
    return render(
        request,
        "reviews/sessions/form.html",
        {"call": call, "session": session if session.pk else None, "form": form},
    )


@perm_required(MANAGE)
def session_create(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    return _session_form_page(request, call=call, session=DefenseSession(call=call))


@perm_required(MANAGE)
def session_edit(request, pk: int):
    session = get_object_or_404(DefenseSession.objects.select_related("call"), pk=pk)
    return _session_form_page(request, call=session.call, session=session)


@perm_required(VIEW)
def session_detail(request, pk: int):
    session = get_object_or_404(DefenseSession.objects.select_related("call", "chair"), pk=pk)
    call = session.call
    can_manage = request.user.has_perm(MANAGE)
    page = selectors.session_page(session, request.user)
    context = {
        "call": call,
        "session": session,
        "slots": page.slots,
        "rows": page.rows,
        "rubric": page.rubric,
        "members": page.members,
        "coverage": page.coverage,
        "can_manage": can_manage,
        "can_clear_conflicts": request.user.has_perm("reviews.clear_conflict"),
        "conflicts": selectors.conflicts_in_force(session),
    }
    if can_manage:
        free = selectors.free_times(call, now=timezone.now())
        context.update(
            move_form=MoveForm(free=free),
            schedule_form=ScheduleForm(
                applications=selectors.applications_waiting(call),
                times=[t for s, t in free if s.pk == session.pk],
            ),
            cancel_form=CancelForm(),
            member_form=MemberAddForm(session=session),
        )
    return render(request, "reviews/sessions/session.html", context)


@require_POST
@perm_required(MANAGE)
def slot_schedule(request, pk: int):
    session = get_object_or_404(DefenseSession.objects.select_related("call"), pk=pk)
    free = selectors.free_times(session.call, now=timezone.now())
    form = ScheduleForm(
        request.POST,
        applications=selectors.applications_waiting(session.call),
        times=[t for s, t in free if s.pk == session.pk],
    )
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("defense:session", pk=session.pk)
    application = form.cleaned_data["application"]
    try:
        slot = services.slot_schedule(
            session=session, application=application, starts_at=form.cleaned_data["starts_at"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(reference)s is scheduled at %(time)s.")
            % {"reference": application.reference, "time": f"{timezone.localtime(slot.starts_at):%H:%M}"},
        )
    return redirect("defense:session", pk=session.pk)


def _slot(pk: int) -> DefenseSlot:
    return get_object_or_404(DefenseSlot.objects.select_related("session__call", "application"), pk=pk)


@require_POST
@perm_required(MANAGE)
def slot_move(request, pk: int):
    slot = _slot(pk)
    form = MoveForm(request.POST, free=selectors.free_times(slot.session.call, now=timezone.now()))
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("defense:session", pk=slot.session_id)
    session, starts_at = form.cleaned_data["target"]
    act_and_report(
        request,
        lambda: services.slot_reschedule(slot=slot, session=session, starts_at=starts_at, actor=request.user),
        _("%(reference)s is moved to %(time)s, session of %(session)s.")
        % {
            "reference": slot.application.reference,
            "time": f"{timezone.localtime(starts_at):%d.%m.%Y %H:%M}",
            "session": session,
        },
    )
    return redirect("defense:session", pk=slot.session_id)


@require_POST
@perm_required(MANAGE)
def slot_cancel(request, pk: int):
    slot = _slot(pk)
    form = CancelForm(request.POST)
    form.is_valid()
    act_and_report(
        request,
        lambda: services.slot_cancel(slot=slot, actor=request.user, note=form.cleaned_data.get("note", "")),
        _("The slot of %(reference)s is cancelled.") % {"reference": slot.application.reference},
    )
    return redirect("defense:session", pk=slot.session_id)


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
            lambda: scoring_services.conflict_clear(
                declaration=declaration, officer=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The conflict of interest of %(reviewer)s on %(reference)s is cleared.")
            % {"reviewer": declaration.reviewer, "reference": declaration.application.reference},
        )
    session = DefenseSession.objects.filter(slots__application_id=declaration.application_id).order_by("-pk").first()
    if session is None:
        return redirect("defense:call", call_pk=declaration.application.call_id)
    return redirect("defense:session", pk=session.pk)


@require_POST
@perm_required(MANAGE)
def slot_no_show(request, pk: int):
    slot = _slot(pk)
    act_and_report(
        request,
        lambda: services.slot_mark_no_show(slot=slot, actor=request.user),
        _("%(reference)s is marked as not attending.") % {"reference": slot.application.reference},
    )
    return redirect("defense:session", pk=slot.session_id)


@require_POST
@perm_required(MANAGE)
def slot_defended(request, pk: int):
    slot = _slot(pk)
    act_and_report(
        request,
        lambda: services.slot_mark_defended(slot=slot, actor=request.user),
        _("%(reference)s is marked as defended.") % {"reference": slot.application.reference},
    )
    return redirect("defense:session", pk=slot.session_id)


@require_POST
@perm_required(MANAGE)
def member_add(request, pk: int):
    session = get_object_or_404(DefenseSession.objects.select_related("chair"), pk=pk)
    form = MemberAddForm(request.POST, session=session)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("defense:session", pk=session.pk)
    reviewer = form.cleaned_data["reviewer"]
    act_and_report(
        request,
        lambda: services.panel_member_add(session=session, reviewer=reviewer, actor=request.user),
        _("%(name)s is added to the panel.") % {"name": reviewer},
    )
    return redirect("defense:session", pk=session.pk)
