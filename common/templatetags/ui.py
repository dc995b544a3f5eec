"""Template tags of the programme's design system (templates/partials/, static/css/app.css)."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common.views import URL_ID

register = template.Library()


def _problems(form: BaseForm, prefix: str = "") -> list[dict]:
    """Each error of a bound form as {'text', 'anchor'}; the anchor is the id of the field's input."""
    problems = [{"text": f"{prefix}{error}", "anchor": ""} for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            label = str(field.label or "")
            text = f"{label}: {error}" if label and not str(error).startswith(label) else str(error)
            text = prefix + text
            problems.append({"text": text, "anchor": field.id_for_label or field.auto_id or ""})
    return problems


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms) -> dict:
    """The GOV.UK error summary: one box at the top of the page listing every problem, each a link to
    its field. Takes forms and formsets; anything else (an empty context variable) is skipped."""
    problems: list[dict] = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            if not form.is_bound:
                continue
            problems += [{"text": str(error), "anchor": ""} for error in form.non_form_errors()]
            for number, member in enumerate(form.forms, start=1):
                problems += _problems(member, prefix=_("Row %(number)s: ") % {"number": number})
        elif isinstance(form, BaseForm) and form.is_bound:
            problems += _problems(form)
    return {"problems": problems}


@register.filter
def localized(obj, field: str) -> str:
    """`{{ criterion|localized:"anchor_low" }}`: a bilingual field in the reader's language (Bilingual.localized)."""
    return obj.localized(field)


@register.filter
def with_id(path: str, pk) -> str:
    """A path from common.views.url_with_id, with `pk` in the id's place."""
    return path.replace(URL_ID, str(pk), 1)


@register.simple_tag
def status_badge(application) -> str:
    """An application's status as the programme's badge (static/css/app.css `.status-<status>`): written here
    rather than as an included template, since list pages show one on every row."""
    return format_html(
        '<span class="badge status-badge status-{}" data-testid="status" data-status="{}">{}</span>',
        application.status,
        application.status,
        application.get_status_display(),
    )
