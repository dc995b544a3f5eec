"""The programme officers' rubric page: a call's criteria and settings, frozen once scoring started."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.views import redirect_to_login
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.roles import Role
from reviews.models import Criterion, Rubric, ScoreSheet
from reviews.rubrics.defaults import DEFAULT_CRITERIA
from reviews.rubrics.services import frozen_message, rubric_create_default
from tests.conftest import messages_of, url
from tests.factories import CallFactory, UserFactory, shortlisted_application

pytestmark = pytest.mark.django_db

FORM_FIELDS = [
    "key",
    "name_uk",
    "name_en",
    "guidance_uk",
    "guidance_en",
    "weight",
    "scale_min",
    "scale_max",
    "anchor_low_uk",
    "anchor_low_en",
    "anchor_mid_uk",
    "anchor_mid_en",
    "anchor_high_uk",
    "anchor_high_en",
]
NOT_SAVED = "Not saved: please correct the highlighted fields."


def by_testid(response, name: str) -> list[str]:
    return re.findall(rf'data-testid="{name}">([^<]*)<', response.content.decode())


def data_of(criterion: Criterion, **overrides) -> dict:
    data = {name: str(value) for name, value in model_to_dict(criterion, fields=FORM_FIELDS).items()}
    if criterion.allows_na:
        data["allows_na"] = "on"
    return {**data, **overrides}


def new_criterion(**overrides) -> dict:
    data = {name: "" for name in FORM_FIELDS}
    data.update(
        key="digital",
        name_uk="Цифрові навички",
        name_en="Digital skills",
        weight="5",
        scale_min="0",
        scale_max="10",
        anchor_low_en="None",
        anchor_mid_en="Some",
        anchor_high_en="Confident",
    )
    return {**data, **overrides}


def snapshot(rubric: Rubric) -> list[dict]:
    rubric.refresh_from_db()
    settings = model_to_dict(rubric)
    return [settings, *(model_to_dict(c) for c in Criterion.objects.filter(rubric=rubric).order_by("pk"))]


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def rubric(call):
    return rubric_create_default(call=call)


# --- Viewing ----------------------------------------------------------------------------------------


def test_the_default_rubric_is_created_and_shown_with_shares_summing_to_100(officer_client, call):
    response = officer_client.get(url("rubric:call", call.pk))

    assert response.status_code == 200
    rubric = Rubric.objects.get(call=call)
    assert [c.key for c in rubric.criteria.all()] == [row[0] for row in DEFAULT_CRITERIA]
    assert by_testid(response, "share") == ["20.0", "15.0", "15.0", "10.0", "10.0", "10.0", "10.0", "10.0"]
    assert sum(Decimal(share) for share in by_testid(response, "share")) == Decimal(100)
    assert by_testid(response, "scale") == ["0–10"] * 8
    assert by_testid(response, "na") == ["yes" if row[2] else "no" for row in DEFAULT_CRITERIA]
    content = response.content.decode()
    for _key, _weight, _na, names, guidance, anchors in DEFAULT_CRITERIA:
        for text in [*names, *guidance, *(text for pair in anchors for text in pair)]:
            assert text in content
    assert 'action="{}"'.format(url("rubric:settings", call.pk)) in content
    assert 'action="{}"'.format(url("rubric:criterion_add", call.pk)) in content


def test_shares_follow_the_weights(officer_client, call, rubric):
    Criterion.objects.filter(rubric=rubric).exclude(key="viability").update(weight=0)
    Criterion.objects.filter(rubric=rubric, key="viability").update(weight=3)
    Criterion.objects.filter(rubric=rubric, key="market").update(weight=1)

    response = officer_client.get(url("rubric:call", call.pk))

    assert by_testid(response, "share") == ["75.0", "25.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0"]


def test_the_defense_page_links_to_the_rubric(officer_client, call):
    response = officer_client.get(reverse("defense:call", args=[call.pk]))

    assert f'href="{url("rubric:call", call.pk)}"' in response.content.decode()


# --- Editing ----------------------------------------------------------------------------------------


def test_the_officer_edits_a_weight_and_the_anchors(officer_client, call, rubric):
    market = rubric.criteria.get(key="market")
    data = data_of(
        market, weight="25", anchor_low_en="No buyers", anchor_mid_uk="Кілька покупців", anchor_high_en="Orders"
    )

    response = officer_client.post(url("rubric:criterion_edit", market.pk), data, follow=True)

    assert response.redirect_chain == [(url("rubric:call", call.pk), 302)]
    assert messages_of(response) == ["The criterion “Market” is saved."]
    market.refresh_from_db()
    assert (market.weight, market.anchor_low_en, market.anchor_mid_uk, market.anchor_high_en) == (
        Decimal("25.00"),
        "No buyers",
        "Кілька покупців",
        "Orders",
    )
    assert by_testid(response, "weight")[:3] == ["20.00", "25.00", "15.00"]
    assert by_testid(response, "share")[:3] == ["18.2", "22.7", "13.6"]


def test_the_officer_edits_the_settings(officer_client, call, rubric):
    data = {"min_independent_scores": "2", "calibrated": "on", "disagreement_threshold": "1.5", "min_score": "7"}

    response = officer_client.post(url("rubric:settings", call.pk), data, follow=True)

    assert messages_of(response) == ["The rubric settings are saved."]
    rubric.refresh_from_db()
    assert (rubric.min_independent_scores, rubric.calibrated, rubric.disagreement_threshold, rubric.min_score) == (
        2,
        True,
        Decimal("1.50"),
        Decimal("7.00"),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"scale_min": "5", "scale_max": "5"}, "scale_max", "The highest score must be above the lowest score."),
        ({"scale_min": "10", "scale_max": "3"}, "scale_max", "The highest score must be above the lowest score."),
        ({"weight": "-1"}, "weight", "The weight cannot be negative."),
        ({"key": "market"}, "key", "Another criterion of this rubric already has the key “market”."),
    ],
)
def test_bad_criterion_input_is_refused_and_the_typed_values_kept(
    officer_client, call, rubric, overrides, field, error
):
    viability = rubric.criteria.get(key="viability")
    before = snapshot(rubric)
    data = data_of(viability, name_en="Typed but not saved", **overrides)

    response = officer_client.post(url("rubric:criterion_edit", viability.pk), data)

    assert response.status_code == 200
    assert messages_of(response) == [NOT_SAVED]
    form = next(row["form"] for row in response.context["rows"] if row["criterion"].pk == viability.pk)
    assert form.errors == {field: [error]}
    assert form.data["name_en"] == "Typed but not saved"
    content = response.content.decode()
    assert 'value="Typed but not saved"' in content
    assert error in content
    assert snapshot(rubric) == before


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"scale_max": "0"}, "scale_max", "The highest score must be above the lowest score."),
        ({"weight": "-0.5"}, "weight", "The weight cannot be negative."),
        ({"key": "jobs"}, "key", "Another criterion of this rubric already has the key “jobs”."),
    ],
)
def test_bad_new_criterion_is_refused_and_the_typed_values_kept(officer_client, call, rubric, overrides, field, error):
    before = snapshot(rubric)

    response = officer_client.post(url("rubric:criterion_add", call.pk), new_criterion(**overrides))

    assert response.status_code == 200
    assert messages_of(response) == [NOT_SAVED]
    assert response.context["new_form"].errors == {field: [error]}
    assert 'value="Digital skills"' in response.content.decode()
    assert snapshot(rubric) == before


def test_bad_settings_are_refused_and_the_typed_values_kept(officer_client, call, rubric):
    before = snapshot(rubric)
    data = {"min_independent_scores": "0", "disagreement_threshold": "-1", "min_score": "4.5"}

    response = officer_client.post(url("rubric:settings", call.pk), data)

    assert response.status_code == 200
    assert messages_of(response) == [NOT_SAVED]
    assert response.context["settings_form"].errors == {
        "min_independent_scores": ["Ensure this value is greater than or equal to 1."],
        "disagreement_threshold": ["The disagreement threshold cannot be negative."],
    }
    assert 'value="4.5"' in response.content.decode()
    assert snapshot(rubric) == before


def test_the_officer_adds_and_removes_a_criterion(officer_client, call, rubric):
    response = officer_client.post(url("rubric:criterion_add", call.pk), new_criterion(allows_na="on"), follow=True)

    assert response.redirect_chain == [(url("rubric:call", call.pk), 302)]
    assert messages_of(response) == ["The criterion “Digital skills” is added."]
    added = rubric.criteria.get(key="digital")
    assert (added.position, added.weight, added.allows_na, added.anchor_high_en) == (
        8,
        Decimal("5.00"),
        True,
        "Confident",
    )
    assert by_testid(response, "share")[-1] == "4.8"
    assert len(by_testid(response, "share")) == 9

    response = officer_client.post(url("rubric:criterion_remove", added.pk), follow=True)

    assert messages_of(response) == ["The criterion “Digital skills” is removed."]
    assert [c.key for c in rubric.criteria.all()] == [row[0] for row in DEFAULT_CRITERIA]
    assert len(by_testid(response, "share")) == 8


def test_the_last_criterion_cannot_be_removed(officer_client, call, rubric):
    rubric.criteria.exclude(key="viability").delete()
    last = rubric.criteria.get()

    response = officer_client.post(url("rubric:criterion_remove", last.pk), follow=True)

    assert messages_of(response) == ["A rubric needs at least one criterion."]
    assert list(rubric.criteria.all()) == [last]


# --- Frozen once scoring started ---------------------------------------------------------------------


def test_every_write_is_refused_once_a_score_sheet_exists(officer_client, call, rubric):
    ScoreSheet.objects.create(application=shortlisted_application(call=call), reviewer=UserFactory(role=Role.REVIEWER))
    market = rubric.criteria.get(key="market")
    before = snapshot(rubric)
    posts = [
        (
            url("rubric:settings", call.pk),
            {"min_independent_scores": "2", "disagreement_threshold": "1", "min_score": "5"},
        ),
        (url("rubric:criterion_add", call.pk), new_criterion()),
        (url("rubric:criterion_edit", market.pk), data_of(market, weight="30")),
        (url("rubric:criterion_edit", market.pk), data_of(market, weight="-1")),
        (url("rubric:criterion_remove", market.pk), {}),
    ]

    responses = [officer_client.post(path, data, follow=True) for path, data in posts]

    assert [r.redirect_chain for r in responses] == [[(url("rubric:call", call.pk), 302)]] * 5
    assert [messages_of(r) for r in responses] == [[frozen_message()]] * 5
    assert frozen_message() == (
        "Scoring has started in this call (a score sheet exists), so its rubric and settings can no longer "
        "change: the stored scores and totals would go stale."
    )
    assert snapshot(rubric) == before
    page = officer_client.get(url("rubric:call", call.pk))
    assert by_testid(page, "frozen") == [frozen_message()]
    assert "<form" not in page.content.decode().split('data-testid="settings"')[1]


# --- Permissions ------------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client, call):
    response = client.get(url("rubric:call", call.pk))

    assert (response.status_code, response.url) == (302, redirect_to_login(url("rubric:call", call.pk)).url)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER])
def test_reviewers_and_applicants_are_refused(client, call, rubric, role):
    client.force_login(UserFactory(role=role))
    market = rubric.criteria.get(key="market")

    assert client.get(url("rubric:call", call.pk)).status_code == 403
    assert [
        client.post(path).status_code
        for path in [
            url("rubric:settings", call.pk),
            url("rubric:criterion_add", call.pk),
            url("rubric:criterion_edit", market.pk),
            url("rubric:criterion_remove", market.pk),
        ]
    ] == [403] * 4


def test_approvers_view_without_forms_and_cannot_post(client, call, rubric):
    client.force_login(UserFactory(role=Role.APPROVER))
    market = rubric.criteria.get(key="market")
    before = snapshot(rubric)

    response = client.get(url("rubric:call", call.pk))

    assert response.status_code == 200
    assert len(by_testid(response, "share")) == 8
    assert "<form" not in response.content.decode().split('data-testid="settings"')[1]
    posts = [
        (
            url("rubric:settings", call.pk),
            {"min_independent_scores": "2", "disagreement_threshold": "1", "min_score": "5"},
        ),
        (url("rubric:criterion_add", call.pk), new_criterion()),
        (url("rubric:criterion_edit", market.pk), data_of(market, weight="30")),
        (url("rubric:criterion_remove", market.pk), {}),
    ]
    assert [client.post(path, data).status_code for path, data in posts] == [403] * 4
    assert snapshot(rubric) == before
