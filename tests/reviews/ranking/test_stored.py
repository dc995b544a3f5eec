# ruff: noqa: F811 - the fixtures of test_views are imported to be used here by name
"""The stored ranking: the same lines as the computed one, stale as soon as what it reads changes, recomputed
after commit, read a page at a time in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reviews.ranking.models import RankedApplication, RankingState
from reviews.ranking.selectors import call_ranking_table, fresh_state, ranking_page
from reviews.ranking.services import ranking_confirm, ranking_store
from tests.conftest import one_and_many, url
from tests.factories import DefenseSessionFactory, PanelMemberFactory

from .test_views import T0, score, scored  # the fixtures call, session, reviewers are in conftest.py

pytestmark = pytest.mark.django_db


def lines(table_lines):
    return [
        (
            line.row.position,
            line.entry,
            line.row.outcome,
            line.row.running_total,
            line.reviewer_means,
            line.disagreement,
            line.criterion_means,
            line.independent_scores,
            line.application.pk,
        )
        for line in table_lines
    ]


def test_the_stored_ranking_reads_as_the_computed_one(session, reviewers, officer):
    for value, name in (("9", "Бойко"), ("6", "Гнатюк"), ("7", "Дяченко")):
        scored(session, reviewers, value, last_name=name, priority=name == "Гнатюк")
    scored(session, reviewers[:2], "8", last_name="Іваненко", grant="3500.00", own="5000.00")
    computed = call_ranking_table(session.call)

    ranking_store(call_id=session.call.pk)
    stored = ranking_page(session.call, officer)

    assert fresh_state(session.call) is not None
    assert lines(stored.table.lines) == lines(computed.lines)
    assert stored.table.committed == computed.committed
    assert RankingState.objects.get(call=session.call).snapshot == computed.snapshot()


@pytest.mark.usefixtures("eager_tasks")  # the recomputation's result is read here, not its trip to the worker
def test_a_new_score_makes_it_stale_until_recomputed_after_commit(
    session, reviewers, officer, django_capture_on_commit_callbacks
):
    ranking_store(call_id=session.call.pk)  # counts the fixtures' changes, whose callbacks run at no commit here
    with django_capture_on_commit_callbacks(execute=True):
        first = scored(session, reviewers, "9", last_name="Бойко")
        second = scored(session, reviewers[:2], "6", last_name="Гнатюк")
    assert fresh_state(session.call) is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        score(second, reviewers[2], "10")

    assert len(callbacks) == 1  # one recomputation queued for the declaration, the sheet and its scores
    assert fresh_state(session.call) is not None
    assert [line.application.pk for line in ranking_page(session.call, officer).table.lines] == [first.pk, second.pk]
    assert lines(ranking_page(session.call, officer).table.lines) == lines(call_ranking_table(session.call).lines)


def test_a_stale_stored_ranking_is_never_read(session, reviewers, officer):
    first = scored(session, reviewers, "6", last_name="Бойко")
    ranking_store(call_id=session.call.pk)
    second = scored(session, reviewers, "9", last_name="Гнатюк")  # no commit in this test: nothing recomputes

    page = ranking_page(session.call, officer)

    assert fresh_state(session.call) is None
    assert [line.application.pk for line in page.table.lines] == [second.pk, first.pk]
    assert RankedApplication.objects.filter(call=session.call).count() == 1


def test_the_budget_and_the_rubric_make_it_stale(session, reviewers):
    scored(session, reviewers, "8")
    ranking_store(call_id=session.call.pk)
    call = session.call
    call.budget_envelope = Decimal("2000.00")
    call.save(update_fields=["budget_envelope"])
    assert fresh_state(call) is None

    ranking_store(call_id=call.pk)
    rubric = call.rubric
    rubric.min_score = Decimal("9.00")
    rubric.save()
    assert fresh_state(call) is None


def test_a_confirmation_counts_while_the_stored_rows_equal_its_own(session, reviewers, officer):
    application = scored(session, reviewers, "8")
    ranking_confirm(call=session.call, actor=officer)
    ranking_store(call_id=session.call.pk)
    assert [current for _, current in ranking_page(session.call, officer).confirmations] == [True]

    scored(session, reviewers, "9", last_name="Гнатюк")
    ranking_store(call_id=session.call.pk)

    assert application.pk in [line.application.pk for line in ranking_page(session.call, officer).table.lines]
    assert [current for _, current in ranking_page(session.call, officer).confirmations] == [False]


def test_the_ranking_page_shows_fifty_rows_a_page(officer_client, session, reviewers):
    made = [scored(session, reviewers, "8") for _ in range(52)]
    ranking_store(call_id=session.call.pk)

    first = officer_client.get(url("ranking:call", session.call.pk))
    second = officer_client.get(url("ranking:call", session.call.pk), {"page": "2"})

    assert first.content.decode().count('data-testid="ranking-row"') == 50
    assert [line.row.position for line, _ in second.context["lines"]] == [51, 52]
    assert {line.application.pk for line, _ in second.context["lines"]} <= {a.pk for a in made}


@one_and_many(20)
def test_the_stored_ranking_page_queries_do_not_grow(officer_client, page_queries, session, reviewers, officer, size):
    for _ in range(size):
        scored(session, reviewers, "8")
    ranking_confirm(call=session.call, actor=officer)
    ranking_store(call_id=session.call.pk)

    # One of them first looks for a confirmed pair (reviews.ranking.confirmed); only one role confirmed here.
    response = page_queries(11, url("ranking:call", session.call.pk))

    assert response.content.decode().count('data-testid="ranking-row"') == size


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "computed"])
def test_a_chair_pages_through_full_pages_of_their_own_panels_lines(session, reviewers, stored):
    """The lines of another panel are left out before paging, not after: in rank order the two panels'
    applications alternate, and the chair's first page still holds fifty of theirs."""
    other = DefenseSessionFactory(call=session.call)
    other_reviewer = PanelMemberFactory(session=other).reviewer
    own = set()
    for n in range(52):
        submitted_at = T0 + timedelta(minutes=2 * n)
        own.add(scored(session, reviewers[:1], "8", submitted_at=submitted_at).pk)
        scored(other, [other_reviewer], "8", submitted_at=submitted_at + timedelta(minutes=1))
    if stored:
        ranking_store(call_id=session.call.pk)
    assert (fresh_state(session.call) is not None) == stored

    first = ranking_page(session.call, session.chair)
    second = ranking_page(session.call, session.chair, "2")

    assert len(first.lines) == 50 and {line.application.pk for line in first.lines} <= own
    assert {line.application.pk for line in first.lines + second.lines} == own
    assert [line.row.position for line in second.lines] == [101, 103]  # their places in the whole ranking
