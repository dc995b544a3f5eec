"""The dashboard's tables as shown: rows, columns, totals, and for the donor the cells small-cell
suppression hides (reports.suppression). The charts and the exported aggregates read these same tables,
so a chart never shows what its table hides.

A count column with a total row is one line of the suppression graph; an amount (USD) or a ratio column
names the count column of the people it adds up (`follows`) and is hidden wherever that count is. Columns
that are not about people (the budget envelope) are never hidden. Tables whose rows overlap or nest (the
funnel, priority groups, jobs for women and for young people) have no total and get the primary rule only.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .suppression import TOTAL, Suppressed, Table, suppress

COUNT, USD, RATIO, PERCENT = "count", "usd", "ratio", "percent"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT
    follows: str | None = None
    about_people: bool = True


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, object]


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str
    hidden: bool

    @property
    def number(self) -> float:
        """For drawing only (bar lengths): never for sums or anything shown as a figure."""
        return float(self.value or 0)


@dataclass
class FigureTable:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    two_way: bool = False
    hidden: set[tuple[str, str]] = field(default_factory=set)

    def cell(self, row: Row, column: Column) -> Cell:
        row_key = TOTAL if row is self.total else row.key
        return Cell(row.values.get(column.key), column.kind, (row_key, column.key) in self.hidden)

    def lines(self) -> list[tuple[Row, list[Cell]]]:
        return [(row, [self.cell(row, column) for column in self.columns]) for row in self.rows]

    def total_line(self) -> list[Cell] | None:
        return [self.cell(self.total, column) for column in self.columns] if self.total else None

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def protect(self) -> "FigureTable":
        """Hide what the donor may not see: every count under 5, and what would give a hidden one away."""
        self.hidden = set(hide(self))
        return self


def hide(table: FigureTable) -> set[tuple[str, str]]:
    row_keys = [row.key for row in table.rows]
    counts = [column for column in table.columns if column.kind == COUNT and column.about_people]
    hidden: set[tuple[str, str]] = set()
    if table.two_way:
        # Rows and columns with their totals (the column keyed TOTAL and the total row) are one table.
        inner = [column.key for column in counts if column.key != TOTAL]
        values = {(row.key, key): int(row.values.get(key) or 0) for row in table.rows for key in inner}
        hidden |= suppress(Table.build(values, row_keys, inner, row_totals=True, column_totals=True)).cells
    else:
        for column in counts:
            values = {(row.key, column.key): int(row.values.get(column.key) or 0) for row in table.rows}
            pattern: Suppressed = suppress(
                Table.build(values, row_keys, [column.key], column_totals=table.total is not None)
            )
            hidden |= pattern.cells
    for column in table.columns:
        if column.follows:
            hidden |= {(row, column.key) for (row, key) in hidden.copy() if key == column.follows}
    return hidden


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio to two places (own contribution per grant dollar); None where the denominator is zero."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
