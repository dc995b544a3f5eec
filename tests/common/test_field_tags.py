"""common/templatetags/fields.py writes what crispy-bootstrap5 and Django's widget templates write: the same
elements, attributes (in the same order) and text, whitespace aside, for every state a field can be in."""

import re
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import mark_safe

from common.templatetags.fields import field_block, form_fields, widget, widgets
from plans.forms import ContributionLineFormSet, EquipmentLineForm, PlanForm, ProjectionForm
from plans.models import EquipmentLine, PlanVersion
from tests.factories import CallFactory


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append((tag, attrs))

    def handle_endtag(self, tag):
        self.tokens.append(("/" + tag,))

    def handle_data(self, data):
        if text := re.sub(r"\s+", " ", data).strip():
            self.tokens.append(text)


def tokens(html: str) -> list:
    parser = _Tokens()
    parser.feed(str(html))
    return parser.tokens


def assert_written_as_before(field):
    # The widget first: crispy's field template adds its classes to the widget for good.
    assert tokens(widget(field)) == tokens(str(field)), field.html_name
    assert tokens(field_block(field)) == tokens(as_crispy_field(field)), field.html_name


class Everything(forms.Form):
    """A widget of each kind, with help texts, a class of its own, a disabled field and unsafe text."""

    name = forms.CharField(label='Name "quoted" <b>', help_text="Your <em>full</em> name", max_length=20)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "wide", "placeholder": "a@b"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional.")
    agree = forms.BooleanField(label="I agree", help_text="Read it first.")
    newsletter = forms.BooleanField(required=False, disabled=True, initial=True)
    fruit = forms.ChoiceField(
        choices=[("", "—"), ("Citrus", [("lemon", "Lemon & lime"), ("orange", mark_safe("<i>Orange</i>"))]), (3, 3)]
    )
    colours = forms.MultipleChoiceField(choices=[("r", "Red"), ("g", "Green")], required=False)
    size = forms.TypedChoiceField(choices=[(1, "S"), (2, "M")], coerce=int, widget=forms.RadioSelect)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False, help_text="PDF")

    def clean(self):
        raise forms.ValidationError(["Something is <wrong>.", "And this."])


POSTED = {
    "name": 'Ann "A" <script>',
    "email": "not an email",
    "note": "\nfirst line kept",
    "fruit": "orange",
    "colours": ["r", "g"],
    "size": "2",
    "when": "2026-01-02",
    "secret": "x&y",
}


def inline_help(data):
    form = Everything(data)
    form.helper = FormHelper()
    form.helper.help_text_inline = True
    return form


STATES = {
    "unbound": lambda: Everything(),
    "errors": lambda: Everything(POSTED),
    "prefix": lambda: Everything({"fruit": "nope"}, auto_id="f_%s", prefix="p"),
    "no-ids": lambda: Everything({"agree": "on"}, auto_id=False),
    "inline-help": lambda: inline_help(POSTED),
}


@pytest.mark.parametrize("state", STATES)
def test_each_field_and_widget_is_written_as_crispy_and_django_write_it(state):
    form = STATES[state]()
    for field in form:
        assert_written_as_before(field)


@pytest.mark.parametrize("state", STATES)
def test_a_whole_form_is_written_as_the_crispy_tag_writes_it(state):
    form = STATES[state]()
    helper = getattr(form, "helper", None) or FormHelper()
    helper.form_tag, helper.disable_csrf = False, True
    form.helper = helper

    assert tokens(form_fields(form)) == tokens(render_crispy_form(form, helper))


def plan_forms(call, data=None):
    version = PlanVersion(pk=7)
    yield PlanForm(data, instance=version)
    yield ProjectionForm(data, projection=[{"revenue": "10.50", "costs": "3"}])
    with_files = EquipmentLine(pk=3, item="Піч", unit_price="100", quote="plans/quotes/q.pdf")
    yield EquipmentLineForm(data, instance=with_files, call=call, prefix="equipment-0")
    yield EquipmentLineForm(data, call=call, prefix="equipment-__prefix__", use_required_attribute=False)


@pytest.mark.parametrize(
    "data", [None, {"jobs_total": "1", "jobs_women": "2", "revenue_1": "-1", "equipment-0-unit_price": "x"}]
)
def test_the_plan_forms_are_written_as_before(data):
    call = CallFactory.build(currencies=["UAH", "USD"], in_kind_allowed=False)
    for form in plan_forms(call, data):
        for field in form:
            assert_written_as_before(field)


@pytest.mark.django_db
def test_a_management_form_is_its_hidden_fields():
    call = CallFactory.build(currencies=["UAH"], in_kind_allowed=True)
    formset = ContributionLineFormSet(instance=PlanVersion(), call=call, prefix="contribution")

    assert widgets(formset.management_form) == str(formset.management_form)
