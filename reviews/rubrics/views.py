"""Programme officers' rubric page: a call's scoring criteria and its panel and ranking settings.

Approvers may look (`applications.see_queue`); only programme officers (`applications.manage_calls`)
change anything, and nobody once scoring started in the call (see `reviews.rubrics.services`).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.exceptions import ApplicationError
from applications.models import Call
from common.views import perm_required
from reviews.models import Criterion, Rubric

from . import selectors
from . import services as rubric_services
from .forms import CriterionForm, RubricSettingsForm
from .selectors import MANAGE, scoring_started

VIEW = "applications.see_queue"


def _page(request, call: Call, *, settings_form=None, bound: CriterionForm | None = None, new_form=None, status=200):
    page = selectors.rubric_page(call, request.user)
    rubric, can_edit = page.rubric, page.can_edit
    rows = []
    for criterion in page.criteria:
        row = {"criterion": criterion, "share": page.share(criterion)}
        if can_edit:
            if bound is not None and bound.instance.pk == criterion.pk:
                row["form"] = bound
            else:
                row["form"] = CriterionForm(instance=Criterion.objects.get(pk=criterion.pk), rubric=rubric)
        rows.append(row)
    context = {
        "call": call,
        "rubric": rubric,
        "rows": rows,
        "total_weight": page.total_weight,
        "frozen": page.frozen,
        "frozen_message": rubric_services.frozen_message(),
        "can_manage": page.can_manage,
        "can_edit": can_edit,
    }
    if can_edit:
        context["settings_form"] = settings_form or RubricSettingsForm(instance=Rubric.objects.get(pk=rubric.pk))
        context["new_form"] = new_form or CriterionForm(rubric=rubric)
    return render(request, "reviews/rubric/rubric.html", context, status=status)


def _refused_if_frozen(request, call: Call):
    if scoring_started(call):
        messages.error(request, rubric_services.frozen_message())
        return redirect("rubric:call", call_pk=call.pk)
    return None


def _not_saved(request, form) -> None:
    for error in form.non_field_errors():
        messages.error(request, error)
    messages.error(request, _("Not saved: please correct the highlighted fields."))


@perm_required(VIEW)
def rubric_page(request, call_pk: int):
    return _page(request, get_object_or_404(Call, pk=call_pk))


@require_POST
@perm_required(MANAGE)
def settings_save(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    if refused := _refused_if_frozen(request, call):
        return refused
    rubric = get_object_or_404(Rubric, call=call)
    form = RubricSettingsForm(request.POST, instance=rubric)
    if form.is_valid():
        try:
            rubric_services.rubric_settings_save(
                rubric=rubric, fields={name: form.cleaned_data[name] for name in form.fields}, actor=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rubric settings are saved."))
        return redirect("rubric:call", call_pk=call.pk)
    _not_saved(request, form)
    return _page(request, call, settings_form=form)


def _criterion_post(request, call: Call, criterion: Criterion, *, created: bool):
    if refused := _refused_if_frozen(request, call):
        return refused
    rubric = get_object_or_404(Rubric, call=call)
    form = CriterionForm(request.POST, instance=criterion, rubric=rubric)
    if form.is_valid():
        try:
            criterion = rubric_services.criterion_save(criterion=form.save(commit=False), actor=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            message = _("The criterion “%(name)s” is added.") if created else _("The criterion “%(name)s” is saved.")
            messages.success(request, message % {"name": criterion.name})
            return redirect("rubric:call", call_pk=call.pk)
    _not_saved(request, form)
    if created:
        return _page(request, call, new_form=form)
    return _page(request, call, bound=form)


@require_POST
@perm_required(MANAGE)
def criterion_add(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    return _criterion_post(request, call, Criterion(), created=True)


@require_POST
@perm_required(MANAGE)
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(Criterion.objects.select_related("rubric__call"), pk=pk)
    return _criterion_post(request, criterion.rubric.call, criterion, created=False)


@require_POST
@perm_required(MANAGE)
def criterion_remove(request, pk: int):
    criterion = get_object_or_404(Criterion.objects.select_related("rubric__call"), pk=pk)
    call = criterion.rubric.call
    if refused := _refused_if_frozen(request, call):
        return refused
    name = criterion.name
    try:
        rubric_services.criterion_remove(criterion=criterion, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The criterion “%(name)s” is removed.") % {"name": name})
    return redirect("rubric:call", call_pk=call.pk)
