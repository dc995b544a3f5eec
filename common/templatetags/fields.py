"""Form fields as crispy-bootstrap5 renders them, built in Python instead of through templates.

    {{ form|form_fields }}           every field of a form, as `{% crispy form %}` with form_tag off
    {{ form.summary|field_block }}   label, widget, help text and errors, as `|as_crispy_field`
    {{ form.revenue_1|widget }}      the widget alone, as `{{ form.revenue_1 }}`
    {{ formset.management_form|widgets }}   a form of hidden fields, as `{{ formset.management_form }}`

The markup is crispy's and Django's (the same classes, ids, aria-describedby and aria-invalid, the same
error and help-text blocks), so a page can switch to these filters and look and behave the same. What
it saves is the cost: crispy renders about ten templates per field and Django one template per widget,
one more per attribute list and one per select option, which on a long form is most of the page's time.
Anything this module does not know (radios, multi-widgets, a horizontal or custom-template helper, a
widget with its own template) goes through crispy's or Django's own templates, unchanged.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import get_template_pack, render_crispy_form
from django import forms, template
from django.conf import settings
from django.template.defaultfilters import unordered_list
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

_WIDGETS = "django/forms/widgets/"
# Django's templates that are only its input.html (checkbox.html includes it; file.html is input.html).
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search",
        "tel", "color", "checkbox", "file",
    )
)  # fmt: skip
_TEXTAREA = f"{_WIDGETS}textarea.html"
_SELECT = f"{_WIDGETS}select.html"
_OPTION = f"{_WIDGETS}select_option.html"


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it went through _text or _string, or is Django's markup


def _text(value) -> str:
    """`{{ value }}` in a template: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as a string, escaped unless already safe."""
    return value if isinstance(value, SafeData) else conditional_escape(str(value))


def _attrs(attrs: dict, skip: str = "") -> str:
    """django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes it bare."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False and name != skip
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _from_context(widget: dict) -> str | None:
    """The widget's template, written out in Python; None for a template this module does not know."""
    name = widget["template_name"]
    if name in _INPUTS:
        value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
        return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    if name == _TEXTAREA:
        value = _text(widget["value"]) if widget["value"] else ""
        return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    if name == _SELECT:
        return _select(widget)
    return None


def _crispy_class(widget: forms.Widget, extra: str) -> str:
    """The class crispy's `{% crispy_field field 'class' extra %}` gives the widget: its own, the widget's
    class name (crispy's converter), then each class of `extra` it lacks."""
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (css if name in css else f"{css} {name}") if css else name
    for extra_class in extra.split():
        if extra_class not in css.split():
            css = f"{css} {extra_class}"
    return css


def _widget(field: forms.BoundField, css: str = "") -> SafeString:
    """BoundField.as_widget() without its templates; with `css`, the widget as crispy's field template
    renders it. The widget's attributes are read, never changed."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    if css:
        # Where crispy would have put the class: among the widget's own attributes, before the bound field's.
        built = context["widget"]["attrs"]
        ordered = {name: built[name] for name in widget.attrs if name in built}
        ordered["class"] = _crispy_class(widget, css)
        context["widget"]["attrs"] = {**ordered, **{k: v for k, v in built.items() if k not in ordered}}
    html = _from_context(context["widget"])
    if html is None:
        return widget._render(widget.template_name, context, field.form.renderer)
    return _safe(html)


@register.filter
def widget(field: forms.BoundField) -> SafeString:
    """`{{ field }}`, the same markup, without a template per widget and per option."""
    return _widget(field)


@register.filter
def widgets(form: forms.BaseForm) -> SafeString:
    """`{{ form }}` for a form whose fields are all hidden, like a formset's management form."""
    if form.errors or any(not field.is_hidden for field in form):
        return str(form)
    return _safe("".join(_widget(field) for field in form))


class _Options:
    """What crispy's field template takes from the form's helper; None when it takes more than this
    module writes (a horizontal form, label or field classes, its own field template)."""

    __slots__ = ("errors", "help_inline", "error_inline")

    def __init__(self, helper, *, default_inline: bool):
        self.errors = True if helper is None else helper.form_show_errors
        self.help_inline = False if helper is None else helper.help_text_inline
        self.error_inline = default_inline if helper is None else helper.error_text_inline

    @classmethod
    def of(cls, form: forms.BaseForm, *, default_inline: bool) -> "_Options | None":
        helper = getattr(form, "helper", None)
        if helper is not None and (
            helper.label_class
            or helper.field_class
            or "form-horizontal" in helper.form_class.split()
            or helper.field_template
            or not helper.form_show_labels
            or getattr(helper, "wrapper_class", "")
        ):
            return None
        return cls(helper, default_inline=default_inline)


def _help_and_errors(field: forms.BoundField, options: _Options) -> str:
    """bootstrap5/layout/help_text_and_errors.html."""
    help_text = ""
    if field.help_text:
        if options.help_inline:
            help_text = f'<span id="{_text(field.auto_id)}_helptext" class="form-text">{field.help_text}</span>'
        else:
            help_id = f'id="{_text(field.auto_id)}_helptext" ' if field.auto_id else ""
            help_text = f'<div {help_id}class="form-text">{field.help_text}</div>'
    errors = ""
    if options.errors and field.errors:
        tag = "span" if options.error_inline else "p"
        items = "".join(
            f'<{tag} id="error_{number}_{_text(field.auto_id)}"><strong>{_text(error)}</strong></{tag}>'
            for number, error in enumerate(field.errors, start=1)
        )
        errors = (
            f'<div id="{_text(getattr(field.errors, "field_id", ""))}_error" class="invalid-feedback">{items}</div>'
        )
    if options.help_inline and not options.error_inline:
        return f"{help_text} {errors}"
    return f"{errors} {help_text}"


def _crispy(field: forms.BoundField, options: _Options) -> SafeString:
    """crispy's own field template, for what this module does not write."""
    return get_template(f"{get_template_pack()}/field.html").render(
        {
            "field": field,
            "form_show_errors": options.errors,
            "form_show_labels": True,
            "help_text_inline": options.help_inline,
            "error_text_inline": options.error_inline,
        }
    )


def _file(field: forms.BoundField, options: _Options) -> str:
    """bootstrap5/layout/field_file.html: the file on record with its 'clear' box, then the file input."""
    parts = []
    invalid = bool(field.errors)
    wrapper = ' class="is-invalid"' if invalid else ""
    input_class = " is-invalid" if invalid else ""
    disabled = " disabled" if field.field.disabled else ""
    for subwidget in field.subwidgets:
        data = subwidget.data
        if data.get("is_initial"):
            value = field.value()
            clear = ""
            if not data["required"]:
                box = _text(data["checkbox_id"])
                clear = (
                    '<span class="align-self-center ml-2"><span class="form-check">'
                    f'<input type="checkbox" name="{_text(data["checkbox_name"])}" id="{box}" class="form-check-input"'
                    f'{disabled} ><label class="form-check-label mb-0" for="{box}">'
                    f"{_text(data['clear_checkbox_label'])}</label></span></span>"
                )
            parts.append(
                f'<div class="input-group mb-2"><span class="input-group-text">{_text(data["initial_text"])}</span>'
                f'<div class="form-control d-flex h-auto"><span class="text-break flex-grow-1">'
                f'<a href="{_text(value.url)}">{_text(value.name)}</a></span>{clear}</div></div>'
            )
        own_class = f" {_text(data['attrs']['class'])}" if data["attrs"].get("class") else ""
        parts.append(
            f'<div{wrapper}><input type="{_text(data["type"])}" '
            f'name="{_text(data["name"])}" class="form-control{own_class}{input_class}"'
            f"{disabled}{_attrs(data['attrs'], skip='class')}> {_help_and_errors(field, options)}</div>"
        )
    return " ".join(parts)


def _label(field: forms.BoundField, css: str, *, always_for: bool = False) -> str:
    """The field's label; crispy writes `for` on a checkbox's label even when the field has no id."""
    for_id = f'for="{_text(field.id_for_label)}" ' if field.id_for_label or always_for else ""
    if field.field.required:
        css, asterisk = f"{css} requiredField", '<span class="asteriskField">*</span>'
    else:
        asterisk = ""
    return f'<label {for_id}class="{css}">{_text(field.label)}{asterisk}</label>'


def _supported(field: forms.BoundField) -> bool:
    widget = field.field.widget
    return not (
        field.use_fieldset
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
        or isinstance(widget, forms.RadioSelect)
    )


def _field_block(field: forms.BoundField, options: _Options) -> str:
    """bootstrap5/field.html, for a vertical form with labels."""
    if field.is_hidden:
        return _widget(field)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    extra = field.css_classes()
    extra = f" {_text(extra)}" if extra else ""
    wrapper_id = f"div_{_text(field.auto_id)}"
    if isinstance(widget, forms.CheckboxInput):
        label = _label(field, "form-check-label", always_for=True)
        return (
            f'<div class="mb-3"><div id="{wrapper_id}" class="form-check{extra}">'
            f"{_widget(field, 'form-check-input' + invalid)} {label} {_help_and_errors(field, options)}</div></div>"
        )
    label = f"{_label(field, 'form-label')} " if field.label else ""
    if isinstance(widget, forms.FileInput):
        body = _file(field, options)
    else:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        body = f"{_widget(field, css + invalid)} {_help_and_errors(field, options)}"
    return f'<div id="{wrapper_id}" class="mb-3{extra}">{label}{body}</div>'


@register.filter
def field_block(field: forms.BoundField) -> SafeString:
    """`{{ field|as_crispy_field }}`: the same markup, written in Python."""
    options = _Options.of(field.form, default_inline=False)
    if options is None:
        return as_crispy_field(field)
    return _safe(_field_block(field, options) if _supported(field) else _crispy(field, options))


@register.filter
def form_fields(form: forms.BaseForm) -> SafeString:
    """`{% crispy form %}` for a form whose helper draws no <form> tag, no CSRF field, no layout and no
    buttons: the errors of the whole form, then every field."""
    helper = getattr(form, "helper", None)
    options = _Options.of(form, default_inline=True)
    if options is None or (
        helper is not None and (helper.form_tag or not helper.disable_csrf or helper.layout or helper.inputs)
    ):
        return render_crispy_form(form, helper)
    parts = [str(form.media)] if helper is None or helper.include_media else []
    if options.errors and form.non_field_errors():
        title = helper.form_error_title.strip() if helper is not None else ""
        heading = f'<h4 class="alert-heading">{_text(title)}</h4>' if title else ""
        parts.append(
            f'<div class="alert alert-block alert-danger">{heading}<ul class="m-0">'
            f"{unordered_list(form.non_field_errors(), autoescape=True)}</ul></div>"
        )
    for field in form:
        parts.append(_field_block(field, options) if _supported(field) else _crispy(field, options))
    return _safe(" ".join(parts))
