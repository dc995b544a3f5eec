"""Small-cell suppression of what the donor sees: pure, no database, no Django.

**Primary rule.** Every count under `THRESHOLD` (5), zero included, is shown as "<5": a count of one to
four people can single a participant out, and a zero beside other small counts narrows them down.

**Secondary rule.** A table's published totals are linear relations between its cells: each row's
cells add up to the row total, each column's to the column total, and the totals to the grand total.
A suppressed cell must not be recoverable from them. Seen as a graph, every row and every column with
a published total is a node, every cell an edge between its row and its column (a total is the edge to
the totals' node); rows or columns without a published total impose no relation and share one free
node. A suppressed cell's value is then determined by the published values exactly when its edge is a
bridge of the graph of suppressed cells: when it lies on no cycle. (A cycle lets its cells move by +1,
-1 alternately without changing any published value; a bridge separates two sides whose published sums
fix it.) So, after the primary rule, while a suppressed cell is a bridge, the cheapest path of further
cells joining its two sides is suppressed too: cheapest by the people it hides, inner cells before
totals, then by position, so the same table always gives the same pattern. In a one-way table with a
total this is the familiar rule "never exactly one suppressed cell in a line": the second smallest cell
goes too.

What this does not prevent: non-negativity still bounds a suppressed cell (two suppressed cells adding
up to 7 are each 0-7), which the "<5" display already concedes, and differences between *nested*
counts shown side by side (applications and grants of one oblast) are not totals and are not protected.
Amounts (USD) are suppressed wherever the count of people they add up is (`follow`).
"""

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

THRESHOLD = 5
FREE = ("free",)
TOTAL = "__total__"

Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Table:
    """Counts by (row, column), with totals per row and per column when the table publishes them.

    Cells are keyed `(row, column)`; a row total is `(row, TOTAL)`, a column total `(TOTAL, column)`,
    the grand total `(TOTAL, TOTAL)`. `rows` and `columns` keep the display order, which breaks ties.
    """

    rows: tuple[Hashable, ...]
    columns: tuple[Hashable, ...]
    counts: Mapping[Cell, int]
    row_totals: bool = False
    column_totals: bool = True

    @classmethod
    def build(
        cls,
        counts: Mapping[Cell, int],
        rows: Iterable[Hashable],
        columns: Iterable[Hashable],
        *,
        row_totals: bool = False,
        column_totals: bool = True,
    ) -> "Table":
        """A table with its totals computed from the cells (missing cells count 0)."""
        rows, columns = tuple(rows), tuple(columns)
        values = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
        if row_totals:
            for r in rows:
                values[(r, TOTAL)] = sum(values[(r, c)] for c in columns)
        if column_totals:
            for c in columns:
                values[(TOTAL, c)] = sum(values[(r, c)] for r in rows)
        if row_totals and column_totals:
            values[(TOTAL, TOTAL)] = sum(values[(r, c)] for r in rows for c in columns)
        return cls(rows, columns, values, row_totals=row_totals, column_totals=column_totals)

    def cells(self) -> list[Cell]:
        """Every published cell in display order: inner cells first, then totals."""
        inner = [(r, c) for r in self.rows for c in self.columns]
        totals = [key for key in self.counts if TOTAL in key]
        return inner + totals

    def ends(self, cell: Cell) -> tuple[tuple, tuple]:
        """The two nodes a cell joins: its row's and its column's, or the free node where no total is."""
        row, column = cell
        row_node = ("row", row) if self.row_totals else FREE
        column_node = ("column", column) if self.column_totals else FREE
        if row == TOTAL:
            # The column-totals line: constrained only where row totals exist (then the grand total closes it).
            row_node = ("row", TOTAL) if self.row_totals else FREE
        if column == TOTAL:
            column_node = ("column", TOTAL) if self.column_totals else FREE
        return row_node, column_node


@dataclass
class Suppressed:
    """The cells hidden from the donor: `primary` under the threshold, `secondary` to protect them."""

    primary: set[Cell] = field(default_factory=set)
    secondary: set[Cell] = field(default_factory=set)

    @property
    def cells(self) -> set[Cell]:
        return self.primary | self.secondary

    def __contains__(self, cell: Cell) -> bool:
        return cell in self.primary or cell in self.secondary


def suppress(table: Table, threshold: int = THRESHOLD) -> Suppressed:
    result = Suppressed(primary={cell for cell in table.cells() if table.counts[cell] < threshold})
    order = {cell: index for index, cell in enumerate(table.cells())}
    alone: set[Cell] = set()
    while True:
        bridge = _first_bridge(table, result.cells, order, skip=alone)
        if bridge is not None:
            path = _cheapest_path(table, result.cells, bridge, order)
            if not path:
                # Nothing else joins its two ends (a table of one cell): there is nothing left to hide it behind.
                alone.add(bridge)
            result.secondary.update(path)
            continue
        short = _short_line(table, result.cells, threshold, order)
        if short is None:
            return result
        result.secondary.add(short)


def _lines(table: Table) -> list[list[Cell]]:
    """The inner cells of every row and column whose total the table publishes."""
    found = []
    if table.column_totals:
        found += [[(row, column) for row in table.rows] for column in table.columns]
    if table.row_totals:
        found += [[(row, column) for column in table.columns] for row in table.rows]
    return found


def _short_line(table: Table, hidden: set[Cell], threshold: int, order: Mapping[Cell, int]) -> Cell | None:
    """A published cell to hide in the first line whose hidden cells add up to less than the threshold:
    their sum is the total less the published cells, and a sum under 5 would say too much about each."""
    for line in _lines(table):
        concealed = [cell for cell in line if cell in hidden]
        shown = [cell for cell in line if cell not in hidden]
        if concealed and shown and sum(table.counts[cell] for cell in concealed) < threshold:
            return min(shown, key=lambda cell: (table.counts[cell], order[cell]))
    return None


def _first_bridge(table: Table, hidden: set[Cell], order: Mapping[Cell, int], *, skip: set[Cell]) -> Cell | None:
    """The first suppressed cell (in display order) that lies on no cycle of suppressed cells."""
    edges = sorted(hidden, key=order.__getitem__)
    adjacency: dict[tuple, list[tuple[tuple, int]]] = defaultdict(list)
    for index, cell in enumerate(edges):
        a, b = table.ends(cell)
        adjacency[a].append((b, index))
        adjacency[b].append((a, index))
    bridges = _bridges(adjacency)
    for index, cell in enumerate(edges):
        if index in bridges and cell not in skip:
            return cell
    return None


def _bridges(adjacency: Mapping[tuple, list[tuple[tuple, int]]]) -> set[int]:
    """Tarjan's bridge finding on a multigraph (edges by index, so parallel edges and loops are cycles)."""
    discovered: dict[tuple, int] = {}
    low: dict[tuple, int] = {}
    found: set[int] = set()
    clock = 0
    for root in adjacency:
        if root in discovered:
            continue
        discovered[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for other, edge in neighbours:
                if edge == via:
                    continue
                if other in discovered:
                    low[node] = min(low[node], discovered[other])
                    continue
                discovered[other] = low[other] = clock
                clock += 1
                stack.append((other, edge, iter(adjacency[other])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > discovered[parent]:
                    found.add(via)
    return found


def _cheapest_path(table: Table, hidden: set[Cell], bridge: Cell, order: Mapping[Cell, int]) -> list[Cell]:
    """Published cells to hide so that `bridge` lies on a cycle: the cheapest path between its two ends
    that avoids the bridge, where hidden cells cost nothing and published ones the people they hide
    (totals dearer than inner cells, display order last)."""
    start, goal = table.ends(bridge)
    if start == goal:
        return []
    size = len(order)
    adjacency: dict[tuple, list[tuple[tuple, Cell]]] = defaultdict(list)
    for cell in table.cells():
        if cell == bridge:
            continue
        a, b = table.ends(cell)
        adjacency[a].append((b, cell))
        adjacency[b].append((a, cell))

    def cost(cell: Cell) -> tuple[int, int, int]:
        if cell in hidden:
            return (0, 0, 0)
        return (int(TOTAL in cell), table.counts[cell] + 1, order[cell] + 1)

    best: dict[tuple, tuple] = {start: (0, 0, 0)}
    previous: dict[tuple, tuple[tuple, Cell]] = {}
    queue: list = [((0, 0, 0), 0, start)]
    tie = 0
    while queue:
        spent, _, node = heapq.heappop(queue)
        if node == goal:
            break
        if spent > best.get(node, spent):
            continue
        for other, cell in adjacency[node]:
            step = cost(cell)
            total = (spent[0] + step[0], spent[1] + step[1], spent[2] + step[2] * size)
            if other not in best or total < best[other]:
                best[other] = total
                previous[other] = (node, cell)
                tie += 1
                heapq.heappush(queue, (total, tie, other))
    if goal not in previous:
        return []
    path, node = [], goal
    while node != start:
        node, cell = previous[node]
        if cell not in hidden:
            path.append(cell)
    return path


def follow(pattern: Suppressed, cells: Iterable[Cell]) -> set[Cell]:
    """The amounts to hide: those whose count of people is hidden."""
    return {cell for cell in cells if cell in pattern}
