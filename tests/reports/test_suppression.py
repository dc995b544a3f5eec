"""Small-cell suppression: every count under 5 hidden, and no hidden cell recoverable from the totals."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import TOTAL, Table, follow, suppress

FAST = settings(max_examples=300, deadline=None)


def one_way(values: list[int]) -> Table:
    return Table.build({(index, "n"): value for index, value in enumerate(values)}, range(len(values)), ["n"])


def lines(table: Table) -> list[tuple[list, object]]:
    """The relations a reader knows: each published line's parts add up to its published total."""
    found = []
    if table.column_totals:
        for column in table.columns:
            found.append(([(row, column) for row in table.rows], (TOTAL, column)))
    if table.row_totals:
        for row in table.rows:
            found.append(([(row, column) for column in table.columns], (row, TOTAL)))
    if table.row_totals and table.column_totals:
        found.append(([(TOTAL, column) for column in table.columns], (TOTAL, TOTAL)))
        found.append(([(row, TOTAL) for row in table.rows], (TOTAL, TOTAL)))
    return found


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    found = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(found, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for i in range(len(rows)):
            if i != found and rows[i][column] != 0:
                factor = rows[i][column] / rows[found][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[found], strict=True)]
        found += 1
    return found


def recoverable(table: Table, hidden: set) -> set:
    """Hidden cells whose value the published cells and the lines fix (exact linear algebra, independent of
    the graph reasoning in reports.suppression)."""
    unknown = sorted(hidden, key=repr)
    position = {cell: index for index, cell in enumerate(unknown)}
    matrix = []
    for parts, total in lines(table):
        row = [Fraction(0)] * len(unknown)
        for cell in parts:
            if cell in position:
                row[position[cell]] += 1
        if total in position:
            row[position[total]] -= 1
        if any(row):
            matrix.append(row)
    base = rank(matrix) if matrix else 0
    found = set()
    for cell, index in position.items():
        probe = [Fraction(int(i == index)) for i in range(len(unknown))]
        if rank([*matrix, probe]) == base:
            found.add(cell)
    return found


counts = st.integers(min_value=0, max_value=30)


@st.composite
def tables(draw):
    n_rows = draw(st.integers(min_value=1, max_value=6))
    n_columns = draw(st.integers(min_value=1, max_value=4))
    row_totals = draw(st.booleans())
    column_totals = draw(st.booleans())
    values = {(r, c): draw(counts) for r in range(n_rows) for c in range(n_columns)}
    return Table.build(values, range(n_rows), range(n_columns), row_totals=row_totals, column_totals=column_totals)


@FAST
@given(tables())
def test_every_count_under_five_is_hidden(table):
    pattern = suppress(table)

    assert pattern.primary == {cell for cell, value in table.counts.items() if value < 5}


@FAST
@given(tables())
def test_no_hidden_cell_is_recoverable_from_the_totals(table):
    pattern = suppress(table)

    assert recoverable(table, pattern.cells) == set()


@FAST
@given(tables())
def test_the_hidden_cells_of_a_line_add_up_to_at_least_five(table):
    pattern = suppress(table)

    for parts, _total in lines(table):
        concealed = [cell for cell in parts if cell in pattern]
        if concealed and len(concealed) < len(parts):
            assert sum(table.counts[cell] for cell in concealed) >= 5


@FAST
@given(tables())
def test_a_table_of_large_counts_hides_nothing(table):
    large = Table.build(
        {cell: value + 5 for cell, value in table.counts.items() if TOTAL not in cell},
        table.rows,
        table.columns,
        row_totals=table.row_totals,
        column_totals=table.column_totals,
    )

    assert suppress(large).cells == set()


@FAST
@given(tables())
def test_the_same_table_gives_the_same_pattern(table):
    assert suppress(table).cells == suppress(table).cells


def test_a_lone_small_oblast_takes_the_next_smallest_with_it():
    table = one_way([12, 3, 8, 20, 9])

    pattern = suppress(table)

    assert (pattern.primary, pattern.secondary) == ({(1, "n")}, {(2, "n")})


def test_two_small_oblasts_protect_each_other():
    pattern = suppress(one_way([12, 3, 4, 20]))

    assert (pattern.primary, pattern.secondary) == ({(1, "n"), (2, "n")}, set())


def test_hidden_cells_adding_up_to_less_than_five_take_the_next_smallest_with_them():
    """One grant in one call and none in two others, 40 in the pilot: 41 less 40 would say the hidden
    calls hold one grant between them, so the pilot's 40 is hidden too."""
    pattern = suppress(one_way([0, 1, 0, 40]))

    assert (pattern.primary, pattern.secondary) == ({(0, "n"), (1, "n"), (2, "n")}, {(3, "n")})


def test_a_small_total_hides_its_whole_line():
    pattern = suppress(one_way([1, 2, 0]))

    assert pattern.cells == {(0, "n"), (1, "n"), (2, "n"), (TOTAL, "n")}


def test_a_two_way_table_hides_a_rectangle():
    """Women/men by two oblasts with all totals: a 3 in one corner needs three more cells to form a cycle."""
    table = Table.build(
        {("lviv", "f"): 3, ("lviv", "m"): 10, ("odesa", "f"): 7, ("odesa", "m"): 12},
        ["lviv", "odesa"],
        ["f", "m"],
        row_totals=True,
        column_totals=True,
    )

    pattern = suppress(table)

    assert pattern.primary == {("lviv", "f")}
    assert pattern.secondary == {("lviv", "m"), ("odesa", "f"), ("odesa", "m")}
    assert recoverable(table, pattern.cells) == set()


def test_a_table_without_totals_needs_no_secondary_suppression():
    table = Table.build({(0, "n"): 2, (1, "n"): 9}, [0, 1], ["n"], column_totals=False)

    assert (suppress(table).primary, suppress(table).secondary) == ({(0, "n")}, set())


def test_amounts_follow_the_counts_they_add_up():
    pattern = suppress(one_way([12, 3, 8, 20, 9]))

    assert follow(pattern, [(0, "n"), (1, "n"), (2, "n")]) == {(1, "n"), (2, "n")}
