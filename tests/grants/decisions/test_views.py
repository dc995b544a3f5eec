"""The decision pages, through the views: the call's decisions, approving, declining, keeping and promoting,
the two-person rule, bulk approval, and one application's grant record."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import AccessLogEntry, Application
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DecisionOutcome, DeclineReason
from grants.models import Decision, Grant
from tests.conftest import shown_by
from tests.factories import CallFactory, StatusChangeFactory, UserFactory
from tests.grants.conftest import page, ready_award_twice, recommended

S = ApplicationStatus
# Letters render in this process, under CI too: these tests are about the pages, not the worker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "eager_tasks")]

BIG = (("Трактор", 1, Decimal("4000.00")),)


def post(client, user, name, *args, data=None):
    """POST and follow the redirect; returns (final response, the messages shown there)."""
    client.force_login(user)
    response = client.post(reverse(name, args=args), data or {}, follow=True)
    return response, [str(message) for message in response.context["messages"]] if response.context else []


def statuses(call) -> list[tuple[str, str]]:
    return list(Application.objects.filter(call=call).order_by("reference").values_list("reference", "status"))


# --- The call's decisions page ------------------------------------------------------------------------------


def test_decisions_page_shows_the_budget_and_the_applications_in_rank_order(client, call, approver):
    first, second = recommended(call, "Бондар"), recommended(call, "Коваль", grant=Decimal("2500.00"))
    waitlisted = recommended(call, "Шевчук", status=S.WAITLISTED)
    grant_approve(application=recommended(call, "Мельник", grant=Decimal("1000.00")), actor=approver)

    response = page(client, approver, "grants:call_decisions", call.pk)

    assert response.status_code == 200
    assert shown_by(response, "budget-envelope") == ["7,000.00"]
    assert shown_by(response, "budget-committed") == ["1,000.00"]
    assert shown_by(response, "budget-remaining") == ["6,000.00"]
    assert shown_by(response, "budget-recommended") == ["5,500.00"]
    rows = [(row.application.reference, row.status, row.grant, row.fits) for row in response.context["decisions"].rows]
    assert rows == [
        (first.reference, S.RECOMMENDED, Decimal("3000.00"), True),
        (second.reference, S.RECOMMENDED, Decimal("2500.00"), True),
        (waitlisted.reference, S.WAITLISTED, Decimal("3000.00"), True),
    ]
    assert [row.own_counted for row in response.context["decisions"].rows] == [
        Decimal("3000.00"),
        Decimal("2500.00"),
        Decimal("3000.00"),
    ]
    assert len(shown_by(response, "decision-actions")) == 3
    assert shown_by(response, "tab-count") == ["3", "1", "0"]  # to decide, approved, declined
    assert shown_by(response, "agreement-number") == []  # one list at a time: the grants are a tab away
    grants = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "grants"})
    assert shown_by(grants, "agreement-number") == ["UA-DC-2021-0001"]
    assert shown_by(grants, "budget-remaining") == ["6,000.00"]  # the budget stands on every tab
    assert shown_by(grants, "decision-row") == []


def test_officers_read_the_page_without_decision_forms_and_others_cannot(client, call, officer):
    recommended(call)

    as_officer = page(client, officer, "grants:call_decisions", call.pk)
    as_applicant = page(client, UserFactory(), "grants:call_decisions", call.pk)
    as_reviewer = page(client, UserFactory(role=Role.REVIEWER), "grants:call_decisions", call.pk)
    client.logout()
    anonymous = client.get(reverse("grants:call_decisions", args=[call.pk]))

    assert (as_officer.status_code, shown_by(as_officer, "decision-actions")) == (200, [])
    assert (as_applicant.status_code, as_reviewer.status_code) == (403, 403)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


def test_approve_decline_and_keep_waitlisted_through_the_views(client, call, approver):
    kept, declined, approved = recommended(call, "Бондар"), recommended(call, "Коваль"), recommended(call, "Шевчук")

    _, approve_messages = post(client, approver, "grants:approve", approved.pk, data={"note": "Сильний план"})
    _, decline_messages = post(
        client, approver, "grants:decline", declined.pk, data={"reason": DeclineReason.SCORE, "note": ""}
    )
    response, keep_messages = post(client, approver, "grants:keep_waitlisted", kept.pk)

    assert response.redirect_chain == [(reverse("grants:call_decisions", args=[call.pk]), 302)]
    assert approve_messages == [f"{approved.reference} is approved: grant UA-DC-2021-0001, USD 3,000.00."]
    assert decline_messages == [f"{declined.reference} is declined."]
    assert keep_messages == [f"{kept.reference} stays on the waiting list."]
    assert statuses(call) == [
        (kept.reference, S.WAITLISTED),
        (declined.reference, S.DECLINED),
        (approved.reference, S.APPROVED),
    ]
    grant = Grant.objects.get(application=approved)
    assert (grant.approved_by, grant.rank) == (approver, 3)
    assert list(Decision.objects.filter(application=approved).values_list("outcome", "note")) == [
        (DecisionOutcome.APPROVED, "Сильний план")
    ]


def test_a_form_on_the_application_page_returns_there(client, call, approver):
    application = recommended(call)
    back = reverse("grants:application", args=[application.pk])

    response, _ = post(client, approver, "grants:keep_waitlisted", application.pk, data={"next": back})
    elsewhere, _ = post(
        client, approver, "grants:keep_waitlisted", application.pk, data={"next": "https://evil.example/"}
    )

    assert response.redirect_chain == [(back, 302)]
    assert elsewhere.redirect_chain == [(reverse("grants:call_decisions", args=[call.pk]), 302)]


def test_a_decline_needs_its_reason_and_another_reason_its_note(client, call, approver):
    application = recommended(call)

    _, without_reason = post(client, approver, "grants:decline", application.pk, data={"reason": "", "note": ""})
    _, other_without_note = post(
        client, approver, "grants:decline", application.pk, data={"reason": DeclineReason.OTHER, "note": " "}
    )

    assert without_reason == ["Choose the reason for declining."]
    assert other_without_note == ["Explain the reason in the note."]
    assert statuses(call) == [(application.reference, S.RECOMMENDED)]


def test_an_approval_the_budget_cannot_take_is_refused_with_the_figures(client, approver):
    call = CallFactory(reference_prefix="BG", budget_envelope=Decimal("2000.00"))
    application = recommended(call)

    response, shown = post(client, approver, "grants:approve", application.pk)

    assert shown == [
        f"{application.reference} needs USD 3,000.00 but only USD 2,000.00 of the call's budget remains "
        "(envelope USD 2,000.00, committed USD 0.00)."
    ]
    assert shown_by(response, "fits") == ["✘ no"]
    assert statuses(call) == [(application.reference, S.RECOMMENDED)]


def test_the_two_person_rule_keeps_the_recommender_from_approving(client, call, approver):
    application = recommended(call)
    StatusChangeFactory(application=application, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=approver)

    marked = page(client, approver, "grants:call_decisions", call.pk)
    _, shown = post(client, approver, "grants:approve", application.pk)
    _, by_another = post(client, UserFactory(role=Role.APPROVER), "grants:approve", application.pk)

    assert shown_by(marked, "recommended-by-you") == ["you recommended this"]
    assert shown == [f"You recommended {application.reference}, and this call needs a second person to approve it."]
    assert by_another == [f"{application.reference} is approved: grant UA-DC-2021-0001, USD 3,000.00."]


def test_without_the_two_person_rule_nobody_is_marked(client, approver):
    call = CallFactory(two_person_rule=False)
    application = recommended(call)
    StatusChangeFactory(application=application, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=approver)

    marked = page(client, approver, "grants:call_decisions", call.pk)
    _, shown = post(client, approver, "grants:approve", application.pk)

    assert shown_by(marked, "recommended-by-you") == []
    assert shown == [f"{application.reference} is approved: grant UA-{call.reference_prefix}-2021-0001, USD 3,000.00."]


def test_officers_may_not_decide(client, call, officer):
    application = recommended(call)
    client.force_login(officer)

    codes = [
        client.post(reverse(name, args=[application.pk]), data).status_code
        for name, data in (
            ("grants:approve", {}),
            ("grants:decline", {"reason": DeclineReason.SCORE}),
            ("grants:keep_waitlisted", {}),
        )
    ] + [client.post(reverse("grants:approve_bulk", args=[call.pk])).status_code]

    assert codes == [403, 403, 403, 403]
    assert statuses(call) == [(application.reference, S.RECOMMENDED)]


def test_bulk_approval_goes_in_rank_order_and_skips_what_the_budget_cannot_take(client, call, approver):
    first, second, third = (recommended(call, name) for name in ("Бондар", "Коваль", "Шевчук"))
    waitlisted = recommended(call, "Ткач", status=S.WAITLISTED, grant=Decimal("500.00"))

    response, shown = post(client, approver, "grants:approve_bulk", call.pk)

    assert response.redirect_chain == [(reverse("grants:call_decisions", args=[call.pk]) + "?tab=grants", 302)]
    assert shown_by(response, "agreement-number") == ["UA-DC-2021-0001", "UA-DC-2021-0002"]
    assert shown == [
        f"2 grants approved in rank order: {first.reference}, {second.reference}.",
        f"{third.reference} skipped: {third.reference} needs USD 3,000.00 but only USD 1,000.00 of the call's "
        "budget remains (envelope USD 7,000.00, committed USD 6,000.00).",
    ]
    assert statuses(call) == [
        (first.reference, S.APPROVED),
        (second.reference, S.APPROVED),
        (third.reference, S.RECOMMENDED),
        (waitlisted.reference, S.WAITLISTED),
    ]
    assert list(Grant.objects.filter(call=call).values_list("agreement_number", "rank")) == [
        ("UA-DC-2021-0001", 1),
        ("UA-DC-2021-0002", 2),
    ]
    assert shown_by(response, "budget-remaining") == ["1,000.00"]


def test_bulk_approval_may_include_the_waiting_list(client, call, approver):
    first = recommended(call, "Бондар", grant=Decimal("4000.00"), equipment=(("Трактор", 1, Decimal("4000.00")),))
    big = recommended(call, "Коваль", status=S.WAITLISTED)
    small = recommended(call, "Шевчук", status=S.WAITLISTED, grant=Decimal("2000.00"))

    _, shown = post(client, approver, "grants:approve_bulk", call.pk, data={"include_waitlisted": "on"})

    assert shown[0] == f"2 grants approved in rank order: {first.reference}, {big.reference}."
    assert statuses(call) == [
        (first.reference, S.APPROVED),
        (big.reference, S.APPROVED),
        (small.reference, S.WAITLISTED),
    ]


def test_bulk_approval_with_nothing_recommended_says_so(client, call, approver):
    _, shown = post(client, approver, "grants:approve_bulk", call.pk)

    assert shown == ["There are no applications to approve."]


def test_the_officer_is_offered_the_waitlisted_application_the_budget_allows_and_promotes_it(
    client, call, approver, officer
):
    recommended(call, "Бондар", grant=Decimal("3500.00"))
    too_big = recommended(
        call, "Коваль", status=S.WAITLISTED, grant=Decimal("4000.00"), equipment=(("Трактор", 1, Decimal("4000.00")),)
    )
    fits = recommended(call, "Шевчук", status=S.WAITLISTED, grant=Decimal("2500.00"))

    offered = page(client, officer, "grants:call_decisions", call.pk)
    _, shown = post(client, officer, "grants:promote", fits.pk)
    approver_page = page(client, approver, "grants:call_decisions", call.pk)

    assert offered.context["decisions"].promotion.application == fits
    assert len(shown_by(offered, "promote")) == 1
    assert "from the waiting list: grant USD 2,500.00." in shown_by(offered, "promotion")[0]
    assert shown == [f"{fits.reference} is promoted from the waiting list and recommended."]
    assert dict(statuses(call))[fits.reference] == S.RECOMMENDED
    assert dict(statuses(call))[too_big.reference] == S.WAITLISTED
    assert approver_page.context["decisions"].promotion is None
    assert shown_by(approver_page, "recommended-by-you") == []


def test_a_recommended_grant_too_large_for_the_budget_does_not_hold_up_the_suggestion(client, call, approver, officer):
    grant_approve(application=recommended(call, "Бондар", grant=Decimal("4000.00"), equipment=BIG), actor=approver)
    recommended(call, "Коваль", grant=Decimal("3800.00"), equipment=BIG)  # 3,000.00 remain: it cannot be funded
    fits = recommended(call, "Шевчук", status=S.WAITLISTED, grant=Decimal("2500.00"))

    offered = page(client, officer, "grants:call_decisions", call.pk)

    assert offered.context["decisions"].promotion.application == fits


def test_promotion_is_for_officers(client, call, approver):
    waitlisted = recommended(call, status=S.WAITLISTED)
    client.force_login(approver)

    assert client.post(reverse("grants:promote", args=[waitlisted.pk])).status_code == 403


def test_the_calls_list_counts_decisions(client, call, approver, officer):
    recommended(call, "Бондар")
    grant_approve(application=recommended(call, "Коваль"), actor=approver)
    grant_decline(application=recommended(call, "Шевчук"), actor=approver, reason=DeclineReason.SCORE)

    response = page(client, officer, "grants:calls")

    (listed,) = [c for c in response.context["calls"] if c.pk == call.pk]
    assert (listed.n_recommended, listed.n_waitlisted, listed.n_granted, listed.n_declined, listed.committed) == (
        1,
        0,
        1,
        1,
        Decimal("3000.00"),
    )
    assert "grants/calls.html" in [t.name for t in response.templates]


def test_the_nav_and_the_ranking_page_link_to_decisions(client, call, officer):
    ranking = page(client, officer, "ranking:call", call.pk)
    home = page(client, officer, "staff:dashboard")

    assert shown_by(ranking, "decisions-link") == ["Decisions"]
    assert shown_by(home, "nav-decisions") == ["Decisions"]


def test_the_officer_sets_the_two_person_rule_on_the_call_form(client, officer):
    response = page(client, officer, "staff:call_create")

    assert "two_person_rule" in response.context["form"].fields
    assert 'name="two_person_rule"' in response.content.decode()


# --- One application ---------------------------------------------------------------------------------------


def test_the_application_page_shows_the_grant_record_history_and_letter_versions(
    client, call, approver, officer, django_capture_on_commit_callbacks
):
    application = recommended(call)
    first, second = ready_award_twice(application, approver, officer, django_capture_on_commit_callbacks)

    response = page(client, officer, "grants:application", application.pk)

    assert response.status_code == 200
    assert shown_by(response, "agreement-number") == ["UA-DC-2021-0001"]
    assert [v.split(" ")[0] for v in shown_by(response, "letter-version")] == ["v2", "v1"]
    content = response.content.decode()
    assert [first.sha256[:12] in content, second.sha256[:12] in content, "Сироварня на 200 л" in content] == [
        True,
        True,
        True,
    ]
    assert shown_by(response, "decision-history")[0].endswith("UA-DC-2021-0001")
    assert AccessLogEntry.objects.filter(user=officer, application=application, action="view_decision").count() == 1


def test_the_application_page_offers_the_decision_forms_to_approvers_only(client, call, approver, officer):
    application = recommended(call)

    as_approver = page(client, approver, "grants:application", application.pk)
    as_officer = page(client, officer, "grants:application", application.pk)

    assert (len(shown_by(as_approver, "decision-actions")), len(shown_by(as_officer, "decision-actions"))) == (1, 0)
