"""Officer pages for the official exchange rates: the list, a rate by hand, and the NBU file."""

from contextlib import suppress
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from common.views import perm_required

from . import selectors, services
from .enums import RATE_CURRENCIES, RateSource
from .exceptions import RateError
from .forms import RateFilterForm, RateForm, RateImportForm

PAGE_SIZE = 25


@perm_required("rates.view_rates")
def rate_list(request):
    filter_form = RateFilterForm(request.GET or None)
    currency = filter_form.cleaned_data["currency"] if filter_form.is_valid() else ""
    page = Paginator(selectors.rates_for_staff(currency=currency), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rates/rate_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.user.has_perm("rates.manage_rates"),
        },
    )


def _initial(query) -> dict:
    """The form prefilled from a "Correct" link: ?currency=EUR&date=2021-03-12 (and that day's rate)."""
    initial: dict = {"date": timezone.localdate()}
    with suppress(ValueError):
        initial["date"] = date.fromisoformat(query.get("date", ""))
    currency = query.get("currency", "")
    if currency in RATE_CURRENCIES:
        initial["currency"] = currency
        existing = selectors.rate_on(currency=currency, on=initial["date"])
        if existing:
            initial["uah_per_unit"] = existing.uah_per_unit
    return initial


@perm_required("rates.manage_rates")
def rate_edit(request):
    posted = request.method == "POST"
    form = RateForm(request.POST if posted else None, initial=_initial(request.GET))
    if posted:
        if form.is_valid():
            try:
                rate, created = services.rate_save(**form.cleaned_data, actor=request.user, source=RateSource.MANUAL)
            except RateError as error:
                messages.error(request, error.message)
            else:
                text = {
                    "currency": rate.currency,
                    "date": rate.date.strftime("%d.%m.%Y"),
                    "rate": rate.uah_per_unit,
                }
                if created:
                    messages.success(request, _("The %(currency)s rate of %(date)s is added: %(rate)s UAH.") % text)
                else:
                    messages.success(request, _("The %(currency)s rate of %(date)s is corrected: %(rate)s UAH.") % text)
                return redirect(f"{reverse('rates:list')}?{urlencode({'currency': rate.currency})}")
        else:
            messages.error(request, _("Please correct the highlighted fields."))
    return render(request, "rates/rate_form.html", {"form": form})


@perm_required("rates.manage_rates")
def rate_import(request):
    posted = request.method == "POST"
    form = RateImportForm(request.POST, request.FILES) if posted else RateImportForm()
    result = None
    if posted:
        if form.is_valid():
            result = services.rates_import_nbu_csv(file=form.cleaned_data["file"], actor=request.user)
            form = RateImportForm()
        else:
            messages.error(request, _("Please correct the highlighted fields."))
    return render(
        request,
        "rates/rate_import.html",
        {"form": form, "result": result, "currencies": ", ".join(sorted(RATE_CURRENCIES))},
    )
