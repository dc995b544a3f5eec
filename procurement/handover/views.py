"""Handover acts: officers issue, correct and sign them; the act and its signed scan are served to the
participant whose grant it is and to programme staff (audited), and to nobody else (404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from common.uploads import private_file_response
from common.views import act_and_report, perm_required, report_form_errors
from grants.models import Grant

from ..forms import SignForm
from ..models import HandoverAct
from . import services


@require_POST
@perm_required("procurement.manage")
def act_issue(request, grant_id: int):
    grant = get_object_or_404(Grant, pk=grant_id)
    act_and_report(
        request,
        lambda: services.act_issue(grant=grant, actor=request.user),
        _("The handover act is being prepared; it appears here in a moment."),
    )
    return redirect("procurement:grant", grant.pk)


@require_POST
@perm_required("procurement.manage")
def act_correct(request, act_id: int):
    act = get_object_or_404(HandoverAct, pk=act_id)
    act_and_report(
        request,
        lambda: services.act_correct(act=act, actor=request.user),
        lambda new: _("Version %(version)s of the act is being prepared.") % {"version": new.version},
    )
    return redirect("procurement:grant", act.grant_id)


@require_POST
@perm_required("procurement.manage")
def act_sign(request, act_id: int):
    act = get_object_or_404(HandoverAct, pk=act_id)
    form = SignForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("procurement:grant", act.grant_id)
    act_and_report(
        request,
        lambda: services.act_sign(
            act=act,
            actor=request.user,
            scan=form.cleaned_data["scan"],
            handed_over_on=form.cleaned_data["handed_over_on"],
        ),
        _("The signed act is stored and the equipment is handed over."),
    )
    return redirect("procurement:grant", act.grant_id)


def _readable_act(request, act_id: int) -> HandoverAct:
    act = HandoverAct.objects.select_related("grant__application").filter(pk=act_id).first()
    if act is None or not request.user.has_perm("procurement.view_grant", act.grant):
        raise Http404
    return act


@login_required
def act_download(request, act_id: int):
    act = _readable_act(request, act_id)
    if not act.is_ready:
        raise Http404
    access_log(user=request.user, application=act.grant.application, action="handover_act_download")
    return private_file_response(act.file, filename=act.filename(), content_type="application/pdf")


@login_required
def signed_download(request, act_id: int):
    act = _readable_act(request, act_id)
    if not act.is_signed:
        raise Http404
    access_log(user=request.user, application=act.grant.application, action="signed_act_download")
    extension = act.signed_scan.name.rsplit(".", 1)[-1]
    return private_file_response(
        act.signed_scan, filename=f"signed-{act.number}-v{act.version}.{extension}", content_type=act.signed_scan_type
    )
