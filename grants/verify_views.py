"""The public verification of a letter: is it genuine, and its number, date and amount. Nothing else.

Anyone holding a letter (a supplier, a bank, a hromada) may check it without an account. The page names
neither the applicant nor the place, so a code tells no more than the letter in the holder's hands already
does; an unknown code, or the code of a letter still being prepared or failed, is a 404 that says no such
letter was issued. The pages stay out of search engines and out of shared caches.
"""

from decimal import Decimal

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from applications.matching import format_usd

from .enums import LetterKind
from .forms import VerifyForm
from .selectors import letter_by_code
from .services import normalize_code


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
