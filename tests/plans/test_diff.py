from decimal import Decimal
from types import SimpleNamespace

from plans.diff import lines_diff, words_diff


def line(item, **fields):
    defaults = {
        "purpose": "",
        "supplier": "",
        "quantity": 1,
        "unit_price": Decimal("100.00"),
        "currency": "UAH",
        "vat_included": True,
    }
    return SimpleNamespace(item=item, **{**defaults, **fields})


def test_words_diff_marks_inserted_and_deleted_words():
    assert words_diff("Хліб для шкіл", "Хліб і булки для шкіл громади") == [
        ("equal", "Хліб"),
        ("insert", "і булки"),
        ("equal", "для шкіл"),
        ("insert", "громади"),
    ]


def test_words_diff_of_identical_text_is_all_equal():
    assert words_diff("однаковий текст", "однаковий  текст") == [("equal", "однаковий текст")]


def test_lines_are_matched_by_name_and_changes_listed():
    old = [line("Піч", unit_price=Decimal("52000.00")), line("Тістоміс")]
    new = [line("піч ", unit_price=Decimal("48000.00")), line("Холодильна вітрина")]

    diff = lines_diff(old, new, key="item", fields=("unit_price", "currency"))

    assert [(d.change, d.label, d.fields) for d in diff] == [
        ("changed", "піч ", [("unit_price", Decimal("52000.00"), Decimal("48000.00"))]),
        ("added", "Холодильна вітрина", []),
        ("removed", "Тістоміс", []),
    ]
