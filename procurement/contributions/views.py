"""The own contribution: officers verify, reject or value each line; the participant uploads evidence.

Evidence files are served only to the participant whose grant it is and to programme staff (audited);
anyone else gets 404 whether the file exists or not."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from common.uploads import download_name, private_file_response
from common.views import act_and_report, perm_required, redirect_back, report_form_errors

from .. import selectors as procurement_selectors
from ..forms import EvidenceForm, RejectForm, VerifyForm
from ..models import ContributionEvidence, ContributionProof
from . import services
from .selectors import remedy_for


@perm_required("procurement.see")
def verification(request, grant_id: int):
    grant = procurement_selectors.grant_for_staff(grant_id)
    access_log(user=request.user, application=grant.application, action="view_contribution")
    match = getattr(grant, "contribution_match", None)
    proofs = list(grant.contribution_proofs.all())
    for proof in proofs:
        proof.verify_form = VerifyForm(
            prefix=f"p{proof.pk}",
            initial={"amount": proof.verified_amount or proof.line.amount, "currency": proof.line.currency},
        )
        proof.reject_form = RejectForm(prefix=f"r{proof.pk}")
    return render(
        request,
        "procurement/contributions/verification.html",
        {
            "grant": grant,
            "application": grant.application,
            "proofs": proofs,
            "match": match,
            "remedy": remedy_for(grant, match) if match else None,
            "can_manage": request.user.has_perm("procurement.manage"),
        },
    )


def _proof(proof_id: int) -> ContributionProof:
    return get_object_or_404(ContributionProof.objects.select_related("grant__application", "line"), pk=proof_id)


@require_POST
@perm_required("procurement.manage")
def proof_verify(request, proof_id: int):
    proof = _proof(proof_id)
    form = VerifyForm(request.POST, prefix=f"p{proof.pk}")
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "procurement:verification", proof.grant_id)
    data = form.cleaned_data
    act_and_report(
        request,
        lambda: services.proof_verify(
            proof=proof,
            actor=request.user,
            amount=data["amount"],
            currency=data["currency"],
            on=data["dated"],
            note=data["note"],
        ),
        _("“%(line)s” verified.") % {"line": proof.description},
    )
    return redirect_back(request, "procurement:verification", proof.grant_id)


@require_POST
@perm_required("procurement.manage")
def proof_reject(request, proof_id: int):
    proof = _proof(proof_id)
    form = RejectForm(request.POST, prefix=f"r{proof.pk}")
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "procurement:verification", proof.grant_id)
    act_and_report(
        request,
        lambda: services.proof_reject(proof=proof, actor=request.user, reason=form.cleaned_data["reason"]),
        _("“%(line)s” rejected; the participant sees why.") % {"line": proof.description},
    )
    return redirect_back(request, "procurement:verification", proof.grant_id)


@require_POST
@login_required
def evidence_upload(request, proof_id: int):
    proof = ContributionProof.objects.select_related("grant__application").filter(pk=proof_id).first()
    if proof is None or not request.user.has_perm("procurement.prove_contribution", proof.grant):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{proof.pk}")
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "procurement:delivery", proof.grant_id)
    act_and_report(
        request,
        lambda: services.evidence_add(
            proof=proof, actor=request.user, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
        ),
        _("Thank you: the programme officer will check your document."),
    )
    return redirect_back(request, "procurement:delivery", proof.grant_id)


@login_required
def evidence_download(request, evidence_id: int):
    evidence = ContributionEvidence.objects.select_related("proof__grant__application").filter(pk=evidence_id).first()
    if evidence is None or not request.user.has_perm("procurement.view_grant", evidence.proof.grant):
        raise Http404
    access_log(user=request.user, application=evidence.proof.grant.application, action="contribution_evidence")
    return private_file_response(
        evidence.file,
        filename=download_name(evidence.original_name, evidence.file.name, default=f"evidence-{evidence.pk}"),
        content_type=evidence.content_type,
    )
