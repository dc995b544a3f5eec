"""Bar charts drawn on the server as SVG, from the same tables the page shows under them.

No script and no library: each chart is an `<svg role="img">` titled by its table's title, with one
horizontal bar per row and series and the figure written beside it (the table's own text, so a hidden
figure reads "<5" and draws no bar). Labels sit above their bars, so the chart keeps a readable size
from a 390 px phone to a desktop. Series colours have at least 4.5:1 contrast against the white page.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .display import write
from .figures import FigureTable

WIDTH = 360
LABEL = 18
BAR = 14
GAP = 10
SERIES_COLOURS = ("#0a58ca", "#146c43", "#6f42c1")
INK = "#212529"
VALUE_ROOM = 120


def bar_chart(table: FigureTable, series: list[str], *, element_id: str, include_total: bool = False) -> SafeString:
    rows = table.lines()
    if include_total and table.total:
        rows = [*rows, (table.total, table.total_line())]
    columns = [table.column(key) for key in series]
    indices = [table.columns.index(column) for column in columns]
    largest = max([cells[i].number for _row, cells in rows for i in indices if not cells[i].hidden] or [0.0]) or 1.0
    row_height = LABEL + BAR * len(columns) + GAP
    legend_height = 22 if len(columns) > 1 else 0
    height = legend_height + row_height * len(rows) + 4
    room = WIDTH - VALUE_ROOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{element_id}-title" class="d-block" focusable="false" font-family="system-ui, sans-serif">',
        f'<title id="{element_id}-title">{escape(table.title)}</title>',
    ]
    if legend_height:
        x = 0
        for number, column in enumerate(columns):
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
            parts.append(f'<text x="{x + 16}" y="14" font-size="12" fill="{INK}">{escape(column.label)}</text>')
            x += 30 + 7 * len(column.label)
    y = legend_height
    for row, cells in rows:
        parts.append(f'<text x="0" y="{y + 13}" font-size="13" fill="{INK}">{escape(row.label)}</text>')
        for number, index in enumerate(indices):
            cell = cells[index]
            top = y + LABEL + BAR * number
            length = 0 if cell.hidden else room * cell.number / largest
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            if length:
                parts.append(
                    f'<rect x="0" y="{top}" width="{max(length, 1):.1f}" height="{BAR - 3}" fill="{colour}">'
                    f"<title>{escape(columns[number].label)}: {escape(write(cell))}</title></rect>"
                )
            figure = escape(write(cell))
            parts.append(f'<text x="{length + 4:.1f}" y="{top + BAR - 4}" font-size="11" fill="{INK}">{figure}</text>')
        y += row_height
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
