"""Every write to exchange rates, and the lookups that decide which rate converts an amount."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Currency

from .conversion import PRECISION, to_usd, usd_per_unit
from .enums import RATE_CURRENCIES, RateSource
from .exceptions import LOOKBACK_DAYS, MissingRate, RateError
from .models import ExchangeRate

RATE_PLACES = Decimal("0.000001")
RATE_LIMIT = Decimal("1e8")  # 14 digits with 6 after the point leave 8 before it
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# The NBU sets a rate at the end of a working day for the next one, so an export made on a Friday
# already holds Monday's rate (and, before a long holiday, a rate some days ahead).
MAX_DAYS_AHEAD = 7


@dataclass(frozen=True)
class Conversion:
    """An amount in USD, with the cross rate and the date of the NBU rates that made it."""

    amount: Decimal
    currency: str
    usd: Decimal
    usd_per_unit: Decimal
    rate_date: date


@dataclass(frozen=True)
class ImportResult:
    """What an import did. `skipped` counts rows for currencies the programme does not use and rows whose
    rate is already stored with the same value; `errors` holds one translated line per row refused."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _window(on: date) -> tuple[date, date]:
    return on - timedelta(days=LOOKBACK_DAYS), on


def _newest(rates, currency: str, on: date) -> ExchangeRate:
    found = [rate for rate in rates if rate.currency == currency]
    if not found:
        raise MissingRate(currency, on)
    return max(found, key=lambda rate: rate.date)


def _check_currency(currency: str) -> None:
    if currency == Currency.UAH:
        raise ValueError("UAH is the base of every NBU rate (1 UAH = 1 UAH); it has no rate of its own.")
    if currency not in RATE_CURRENCIES:
        raise ValueError(f"No official rates are kept for {currency!r}.")


def rate_for(*, currency: str, on: date) -> ExchangeRate:
    """The rate in force on `on`: the newest set on or before that day, at most 7 days older.

    The NBU sets no new rate on weekends and public holidays, so Saturday's amounts use Friday's rate.
    Anything older means a rate is missing here, and MissingRate asks an officer to add it.
    """
    _check_currency(currency)
    return _newest(ExchangeRate.objects.filter(currency=currency, date__range=_window(on)), currency, on)


def convert_to_usd(*, amount: Decimal, currency: str, on: date) -> Conversion:
    """`amount` of `currency` in USD at the NBU rates in force on `on` (see `rate_for`).

    USD needs no rate; UAH needs only the dollar's rate; any other currency is crossed through the
    hryvnia with its own rate and the dollar's. The NBU sets all its rates together, so both dates
    normally agree; should a hand-entered rate make them differ, the older is recorded, so a figure
    never claims a fresher rate than it used. Raises MissingRate.
    """
    if currency == Currency.USD:
        usd = to_usd(amount=amount, uah_per_unit_currency=Decimal(1), uah_per_usd=Decimal(1))
        return Conversion(amount, currency, usd, Decimal("1.00000000"), on)
    if currency == Currency.UAH:
        rates = list(ExchangeRate.objects.filter(currency=Currency.USD, date__range=_window(on)))
        dollar = _newest(rates, Currency.USD, on)
        uah_per_unit, rate_date = Decimal(1), dollar.date
    else:
        _check_currency(currency)
        rates = list(ExchangeRate.objects.filter(currency__in=[currency, Currency.USD], date__range=_window(on)))
        own = _newest(rates, currency, on)
        dollar = _newest(rates, Currency.USD, on)
        uah_per_unit, rate_date = own.uah_per_unit, min(own.date, dollar.date)
    return Conversion(
        amount=amount,
        currency=currency,
        usd=to_usd(amount=amount, uah_per_unit_currency=uah_per_unit, uah_per_usd=dollar.uah_per_unit),
        usd_per_unit=usd_per_unit(uah_per_unit_currency=uah_per_unit, uah_per_usd=dollar.uah_per_unit),
        rate_date=rate_date,
    )


def _rate_value(uah_per_unit: Decimal) -> Decimal:
    """The rate as stored: 6 places, half up; a user-facing RateError when it cannot be one."""
    value = Decimal(uah_per_unit)
    if value >= RATE_LIMIT:
        raise RateError(_("The rate is too large to be hryvnias for one unit."))
    value = value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    if value <= 0:
        raise RateError(_("The rate must be more than zero."))
    return value


@transaction.atomic
def rate_save(
    *, currency: str, date: date, uah_per_unit: Decimal, actor, source: str = RateSource.MANUAL
) -> tuple[ExchangeRate, bool]:
    """Add one day's rate of a currency, or correct it; True when it is new.

    A rate typed by hand is for today or earlier: the NBU has not set tomorrow's rate for anyone to read.
    """
    if currency not in RATE_CURRENCIES:
        raise RateError(
            _("Official rates are kept for %(currencies)s only.") % {"currencies": ", ".join(sorted(RATE_CURRENCIES))}
        )
    value = _rate_value(uah_per_unit)
    if source == RateSource.MANUAL and date > timezone.localdate():
        raise RateError(_("A rate cannot be entered for a future date."))
    rate, created = ExchangeRate.objects.select_for_update().get_or_create(
        currency=currency,
        date=date,
        defaults={"uah_per_unit": value, "source": source, "created_by": actor, "updated_by": actor},
    )
    if not created:
        rate.uah_per_unit, rate.source, rate.updated_by = value, source, actor
        rate.save(update_fields=["uah_per_unit", "source", "updated_by", "updated_at"])
    return rate, created


# Column names in the NBU's exports, lower case: NBUStatService/v1/statdirectory/exchange
# (r030, txt, rate, cc, exchangedate; the rate is for 1 unit), the archive service NBU_Exchange/
# exchange_site (exchangedate, r030, cc, txt, enname, rate, units, rate_per_unit, group, calcdate; the
# rate is for `units` units) and the table of bank.gov.ua/ua/markets/exchangerates ("Офіційний курс
# гривні щодо іноземних валют": Код цифровий, Код літерний, Кількість одиниць валюти, Назва валюти,
# Офіційний курс, with the date as Дата). Other columns are ignored.
COLUMNS = {
    "exchangedate": "date",
    "date": "date",
    "дата": "date",
    "cc": "currency",
    "currency": "currency",
    "код літерний": "currency",
    "rate": "rate",
    "офіційний курс": "rate",
    "rate_per_unit": "rate_per_unit",
    "units": "units",
    "кількість одиниць": "units",
    "кількість одиниць валюти": "units",
}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


class RowError(Exception):
    pass


def _decode(data: bytes | str) -> str | None:
    """The text of the file, or None when it is not text."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "cp1251"):  # cp1251: a file saved by Excel on a Ukrainian Windows
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _separator(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    if ";" in header:
        return ";"
    if "\t" in header:
        return "\t"
    return ","


def _number(text: str) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        if "." in cleaned:
            raise RowError(_("“%(value)s” is not a number.") % {"value": text.strip()})
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(_("“%(value)s” is not a number.") % {"value": text.strip()}) from None
    if not value.is_finite():
        raise RowError(_("“%(value)s” is not a number.") % {"value": text.strip()})
    return value


def _date(text: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise RowError(_("“%(value)s” is not a date; NBU files write dates as DD.MM.YYYY.") % {"value": text.strip()})


def _parse_row(cells: dict[str, str], today: date) -> tuple[str, date, Decimal] | None:
    """(currency, date, UAH per 1 unit) of a row, None for a currency the programme does not use."""
    currency = cells.get("currency", "").strip().upper()
    if not currency:
        raise RowError(_("The currency code is missing."))
    if currency not in RATE_CURRENCIES:
        return None
    day = _date(cells.get("date", ""))
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise RowError(
            _("The date %(date)s is more than %(days)d days ahead.")
            % {"date": day.strftime("%d.%m.%Y"), "days": MAX_DAYS_AHEAD}
        )
    if cells.get("rate_per_unit", "").strip():
        rate = _number(cells["rate_per_unit"])
    else:
        if not cells.get("rate", "").strip():
            raise RowError(_("The rate is missing."))
        rate = _number(cells["rate"])
        units = _number(cells["units"]) if cells.get("units", "").strip() else Decimal(1)
        if units <= 0 or units != units.to_integral_value():
            raise RowError(_("“%(value)s” is not a whole number of units.") % {"value": cells["units"].strip()})
        with localcontext(prec=PRECISION):
            rate = rate / units
    try:
        return currency, day, _rate_value(rate)
    except RateError as error:
        raise RowError(error.message) from None


@dataclass
class _ParsedFile:
    rows: dict[tuple[str, date], tuple[Decimal, int]] = field(default_factory=dict)  # rate and line number
    skipped: int = 0


_REQUIRED = (("date", "exchangedate"), ("currency", "cc"))


def _read_rows(text: str, errors: list[str]) -> _ParsedFile | None:
    """The usable rows by (currency, date), with their line numbers; None when the file is unusable."""
    reader = csv.reader(io.StringIO(text), delimiter=_separator(text))
    header: dict[str, int] | None = None
    parsed_file = _ParsedFile()
    rows = parsed_file.rows
    today = timezone.localdate()
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = {}
                for index, name in enumerate(cells):
                    column = COLUMNS.get(name.strip().strip('"').lower())
                    if column and column not in header:
                        header[column] = index
                missing = [label for column, label in _REQUIRED if column not in header]
                if "rate" not in header and "rate_per_unit" not in header:
                    missing.append("rate")
                if missing:
                    errors.append(
                        _(
                            "This is not an NBU exchange-rate file: its first line must name the columns, "
                            "and these are missing: %(columns)s."
                        )
                        % {"columns": ", ".join(missing)}
                    )
                    return None
                continue
            line = reader.line_num
            values = {column: cells[index] if index < len(cells) else "" for column, index in header.items()}
            try:
                parsed = _parse_row(values, today)
            except RowError as error:
                errors.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": error})
                continue
            if parsed is None:
                parsed_file.skipped += 1
                continue
            currency, day, rate = parsed
            if (currency, day) in rows:
                first_rate, first_line = rows[(currency, day)]
                if first_rate == rate:
                    parsed_file.skipped += 1
                else:
                    errors.append(
                        _("Line %(line)d: A second, different rate for %(currency)s on %(date)s (see line %(first)d).")
                        % {"line": line, "currency": currency, "date": day.strftime("%d.%m.%Y"), "first": first_line}
                    )
                continue
            rows[(currency, day)] = (rate, line)
    except csv.Error as error:
        errors.append(
            _("Line %(line)d: the file cannot be read as CSV (%(error)s).") % {"line": reader.line_num, "error": error}
        )
    if header is None:
        errors.append(_("The file is empty."))
        return None
    return parsed_file


@transaction.atomic
def rates_import_nbu_csv(*, file, actor) -> ImportResult:
    """Import the NBU's official rates from one of its CSV exports (see COLUMNS), for the currencies
    the programme uses.

    Comma, semicolon or tab separated; UTF-8 with or without a BOM, or Windows-1251; decimal point or
    comma; a rate for N units becomes a rate for 1. A row that cannot be read is reported with its line
    number and the others are imported. The file is the official source: it replaces a rate typed by hand.
    """
    data = file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return ImportResult(errors=[_("The file is larger than %(size)d MB.") % {"size": MAX_IMPORT_BYTES >> 20}])
    errors: list[str] = []
    text = _decode(data)
    if text is None:
        return ImportResult(errors=[_("This is not a text (CSV) file.")])
    parsed_file = _read_rows(text, errors)
    if parsed_file is None:
        return ImportResult(errors=errors)
    rows, skipped = parsed_file.rows, parsed_file.skipped
    if not rows:
        return ImportResult(skipped=skipped, errors=errors)
    days = [day for _currency, day in rows]
    existing = {
        (rate.currency, rate.date): rate
        for rate in ExchangeRate.objects.select_for_update().filter(
            currency__in={currency for currency, _day in rows}, date__range=(min(days), max(days))
        )
    }
    now = timezone.now()
    new, changed = [], []
    for (currency, day), (value, _line) in rows.items():
        rate = existing.get((currency, day))
        if rate is None:
            new.append(
                ExchangeRate(
                    currency=currency,
                    date=day,
                    uah_per_unit=value,
                    source=RateSource.NBU_CSV,
                    created_by=actor,
                    updated_by=actor,
                )
            )
        elif rate.uah_per_unit != value:
            rate.uah_per_unit, rate.source, rate.updated_by, rate.updated_at = value, RateSource.NBU_CSV, actor, now
            changed.append(rate)
        else:
            skipped += 1
    ExchangeRate.objects.bulk_create(
        new,
        update_conflicts=True,
        unique_fields=["currency", "date"],
        update_fields=["uah_per_unit", "source", "updated_by", "updated_at"],
    )
    ExchangeRate.objects.bulk_update(changed, ["uah_per_unit", "source", "updated_by", "updated_at"])
    return ImportResult(created=len(new), updated=len(changed), skipped=skipped, errors=errors)
