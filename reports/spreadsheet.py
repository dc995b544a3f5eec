"""Writing rows as CSV or XLSX with spreadsheet formulas neutralised.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
by a spreadsheet (CSV injection): it is written with a leading apostrophe, which spreadsheets show as
text. Numbers, dates and booleans are written as what they are. `neutralise` is the one place this rule
lives in the reports; swap it for the project's shared helper (common/exports.py) once that exists.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(title)) for title in header])
    for row in rows:
        writer.writerow([_plain(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append([neutralise(str(name)) for name in header])
        for row in rows:
            sheet.append([neutralise(value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with any of : \\ / ? * [ ]."""
    for character in ":\\/?*[]":
        title = title.replace(character, " ")
    return title[:31] or "Sheet"
