"""The funnel's stages, pure: every stage counts at most as many applications as the one before."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.funnel import Stage, counts, furthest

groups = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(min_value=0, max_value=8)), st.booleans(), st.integers(0, 50)),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(groups)
def test_every_stage_counts_at_most_the_one_before(found):
    stages = list(counts(found).values())

    assert stages == sorted(stages, reverse=True)
    assert stages[0] == sum(n for reached, delivered, n in found if furthest(reached, delivered=delivered) > 0)


def test_a_call_closed_without_a_delivery_stops_at_approved():
    assert furthest(Stage.CLOSED, delivered=False) == Stage.APPROVED
    assert furthest(Stage.CLOSED, delivered=True) == Stage.CLOSED


def test_stages_reached_or_passed():
    found = [(Stage.APPROVED, False, 2), (Stage.SHORTLISTED, False, 3), (Stage.CLOSED, True, 1), (None, False, 4)]

    assert list(counts(found).values()) == [6, 6, 3, 3, 3, 3, 1, 1]
