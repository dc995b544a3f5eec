"""One shape per language for every amount: common.money, its template filters and the CSV cells."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from common.exports import csv_cell
from common.money import format_money, format_number, format_ratio, usd_text

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("uk", Decimal("4000"), f"4{NNBSP}000,00 USD"),
        ("uk", Decimal("1234567.891"), f"1{NNBSP}234{NNBSP}567,89 USD"),
        ("uk", Decimal("0.005"), "0,01 USD"),
        ("uk", Decimal("-2500.5"), f"-2{NNBSP}500,50 USD"),
        ("en", Decimal("4000"), "USD 4,000.00"),
        ("en", Decimal("1234567.891"), "USD 1,234,567.89"),
        ("en", Decimal("999.999"), "USD 1,000.00"),
    ],
)
def test_an_amount_reads_in_the_shape_of_its_language(language, amount, expected):
    assert format_money(amount, "USD", language=language) == expected
    with translation.override(language):
        assert format_money(amount) == expected


def test_other_currencies_numbers_and_ratios_follow_the_same_shape():
    assert format_money(Decimal("120000"), "UAH", language="uk") == f"120{NNBSP}000,00 UAH"
    assert format_money(Decimal("120000"), "UAH", language="en") == "UAH 120,000.00"
    assert format_number(Decimal("200000"), language="uk") == f"200{NNBSP}000,00"
    assert format_number(Decimal("200000"), language="en") == "200,000.00"
    assert (format_ratio(Decimal("1.50"), language="uk"), format_ratio(Decimal("1.00"), language="en")) == ("1,5", "1")
    assert usd_text(None) == "—"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", f"4{NNBSP}000,00 USD|120{NNBSP}000,00 UAH|3{NNBSP}500,00|—"),
        ("en", "USD 4,000.00|UAH 120,000.00|3,500.00|—"),
    ],
)
def test_the_template_filters_use_the_readers_language(language, expected):
    template = Template('{% load money %}{{ grant|usd }}|{{ price|money:"UAH" }}|{{ cell|amount }}|{{ missing|usd }}')
    with translation.override(language):
        rendered = template.render(Context({"grant": Decimal("4000"), "price": "120000", "cell": 3500, "missing": ""}))
    assert rendered == expected


def test_a_csv_cell_writes_a_decimal_as_the_pages_do_and_keeps_a_rates_precision():
    with translation.override("uk"):
        assert csv_cell(Decimal("4000.00")) == f"4{NNBSP}000,00"
        assert csv_cell(Decimal("0.02450000")) == "0,02450000"
    with translation.override("en"):
        assert csv_cell(Decimal("4000.00")) == "4,000.00"
