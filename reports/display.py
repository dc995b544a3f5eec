"""How a figure is written: the same text in the tables, on the charts, on the map and in the exports."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.money import format_usd

from .figures import COUNT, PERCENT, RATIO, USD, Cell

HIDDEN_COUNT = "<5"
HIDDEN_AMOUNT = "—"


def write(cell: Cell) -> str:
    if cell.hidden:
        return HIDDEN_COUNT if cell.kind == COUNT else HIDDEN_AMOUNT
    if cell.value is None:
        return "—"
    if cell.kind == COUNT:
        return number_format(int(cell.value), force_grouping=True)
    if cell.kind == USD:
        return format_usd(Decimal(cell.value))
    if cell.kind == RATIO:
        return number_format(Decimal(cell.value), 2)
    if cell.kind == PERCENT:
        return f"{number_format(Decimal(cell.value), 0)}%"
    return str(cell.value)


def spoken(cell: Cell) -> str:
    """What a screen reader hears for a hidden figure."""
    if not cell.hidden:
        return ""
    if cell.kind == COUNT:
        return _("fewer than 5, not shown")
    return _("not shown: it would reveal a count under 5")
