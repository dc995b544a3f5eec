"""Staff's letter actions (issue, regenerate, batches and their progress) and letter downloads.

Every staff page is for programme staff (`applications.see_queue`); who may issue a letter is the
services' rule. A letter is downloaded by its applicant or by staff; anyone else gets 404.

The public verification of a letter: is it genuine, and its number, date and amount. Nothing else.

Anyone holding a letter (a supplier, a bank, a hromada) may check it without an account. The page names
neither the applicant nor the place, so a code tells no more than the letter in the holder's hands already
does; an unknown code, or the code of a letter still being prepared or failed, is a 404 that says no such
letter was issued. The pages stay out of search engines and out of shared caches.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications.audit.services import access_log
from applications.exceptions import ApplicationError
from applications.models import Application, Call
from common.money import format_usd
from common.views import local_path, perm_required, redirect_back, report_form_errors
from grants.enums import LetterKind, LetterStatus
from grants.models import Letter, LetterBatch

from . import selectors, services
from .forms import LetterBatchForm, VerifyForm
from .selectors import letter_by_code, letter_recipients
from .services import normalize_code

STAFF = "applications.see_queue"


# How often the batch page asks for its progress while letters are still being prepared, in seconds.
PROGRESS_REFRESH_SECONDS = 1


@require_POST
@perm_required(STAFF)
def letters_start(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    form = LetterBatchForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("grants:call_decisions", call.pk)
    batch = services.letters_batch_start(call=call, kind=form.cleaned_data["kind"], actor=request.user)
    return redirect("grants:batch", batch.pk)


@perm_required(STAFF)
def letters_confirm(request, call_id: int):
    """Before a batch: which applicants the letters go to, since each is emailed its letter. A GET, no write;
    the page's button posts to `letters_start`. Works without JavaScript."""
    call = get_object_or_404(Call, pk=call_id)
    form = LetterBatchForm(request.GET)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("grants:call_decisions", call.pk)
    kind = form.cleaned_data["kind"]
    return render(
        request,
        "grants/letters/confirm.html",
        {"call": call, "kind": kind, "kind_label": LetterKind(kind).label, "recipients": letter_recipients(call, kind)},
    )


@require_POST
@perm_required(STAFF)
def letter_issue(request, application_id: int):
    """Prepare the application's letter of a kind, or try a failed one again (the service decides which)."""
    application = get_object_or_404(Application, pk=application_id)
    form = LetterBatchForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
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
    return redirect_back(request, "grants:application", application.pk)


@perm_required(STAFF)
def letter_regenerate_confirm(request, letter_id: int):
    """Before a new version of one letter: which letter, the version it will be and who is emailed it. A GET,
    no write; the page's button posts to `letter_regenerate`. Works without JavaScript."""
    letter = get_object_or_404(
        Letter.objects.select_related("application__applicant", "application__call"), pk=letter_id
    )
    latest = Letter.objects.filter(application=letter.application, kind=letter.kind).order_by("-version").first()
    return render(
        request,
        "grants/letters/regenerate_confirm.html",
        {
            "letter": latest,
            "application": letter.application,
            "next_version": latest.version + 1,
            "pending": latest.status == LetterStatus.PENDING,
            "next": local_path(request.GET.get("next", "")),
        },
    )


@require_POST
@perm_required(STAFF)
def letter_regenerate(request, letter_id: int):
    letter = get_object_or_404(Letter, pk=letter_id)
    try:
        with transaction.atomic():
            new = services.letter_regenerate(letter=letter, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(version)d of the letter is being prepared.") % {"version": new.version})
    return redirect_back(request, "grants:application", letter.application_id)


def _batch_context(batch: LetterBatch) -> dict:
    return {**vars(selectors.batch_page(batch, now=timezone.now())), "refresh_seconds": PROGRESS_REFRESH_SECONDS}


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
    if letter is None or not request.user.has_perm("grants.download_letter", letter):
        raise Http404
    access_log(user=request.user, application=letter.application, action="letter_download")
    response = FileResponse(
        letter.file.open("rb"), as_attachment=True, filename=letter.filename(), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The public verification page --------------------------------------------------------------------


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def verify_form_view(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        if code:
            return redirect("letter_verify", code=code)
        form.add_error("code", form.fields["code"].help_text)
    return _private(render(request, "grants/verify_form.html", {"form": form}))


@never_cache
def verify_view(request, code: str):
    normalized = normalize_code(code)
    found = letter_by_code(normalized) if normalized else None
    if found is None:
        return _private(
            render(request, "grants/verify_not_found.html", {"code": code, "form": VerifyForm()}, status=404)
        )
    letter, superseded = found
    is_award = letter.kind == LetterKind.AWARD
    grant = letter.figures.get("grant_usd") if is_award else None
    return _private(
        render(
            request,
            "grants/verify.html",
            {
                "letter": letter,
                "kind": LetterKind(letter.kind).label,
                "number": letter.figures.get("agreement_number") if is_award else letter.figures.get("reference"),
                "amount": format_usd(Decimal(grant)) if grant else None,
                "superseded": superseded,
            },
        )
    )
