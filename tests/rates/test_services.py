import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation

from rates.conversion import to_usd, usd_per_unit
from rates.enums import RateSource
from rates.exceptions import MissingRate, RateError
from rates.models import ExchangeRate
from rates.services import Conversion, ImportResult, convert_to_usd, rate_for, rate_save, rates_import_nbu_csv
from tests.factories import ExchangeRateFactory

D = Decimal
SAMPLE = Path(__file__).with_name("nbu_sample.csv")
FRIDAY, SATURDAY, MONDAY = date(2021, 3, 12), date(2021, 3, 13), date(2021, 3, 15)

pytestmark = pytest.mark.django_db


def stored() -> list[tuple[str, date, Decimal, str]]:
    return [
        (rate.currency, rate.date, rate.uah_per_unit, rate.source)
        for rate in ExchangeRate.objects.order_by("date", "currency")
    ]


def upload(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


class TestConversionArithmetic:
    def test_cross_rate_through_the_hryvnia_rounds_half_up_to_the_cent(self):
        # 100 EUR × 33.2069 ÷ 27.7563 = 119.637…; 3.47 UAH ÷ 27.76 = 0.125 exactly.
        assert to_usd(amount=D("100.00"), uah_per_unit_currency=D("33.2069"), uah_per_usd=D("27.7563")) == D("119.64")
        assert to_usd(amount=D("3.47"), uah_per_unit_currency=D("1"), uah_per_usd=D("27.76")) == D("0.13")

    def test_half_a_cent_rounds_up(self):
        assert to_usd(amount=D("0.10"), uah_per_unit_currency=D("1"), uah_per_usd=D("20")) == D("0.01")

    def test_usd_per_unit_has_eight_places(self):
        assert usd_per_unit(uah_per_unit_currency=D("33.2069"), uah_per_usd=D("27.7563")) == D("1.19637344")

    def test_a_negative_amount_is_refused(self):
        with pytest.raises(ValueError, match="amount cannot be negative"):
            to_usd(amount=D("-1"), uah_per_unit_currency=D("1"), uah_per_usd=D("27"))


class TestRateFor:
    def test_the_rate_of_the_day(self):
        ExchangeRateFactory(currency="EUR", date=date(2021, 3, 11), uah_per_unit=D("33.1827"))
        friday = ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2069"))

        assert rate_for(currency="EUR", on=FRIDAY) == friday

    def test_weekend_uses_fridays_rate(self):
        friday = ExchangeRateFactory(currency="EUR", date=FRIDAY)
        ExchangeRateFactory(currency="EUR", date=MONDAY)

        assert rate_for(currency="EUR", on=SATURDAY) == friday

    def test_a_rate_seven_days_old_still_counts(self):
        old = ExchangeRateFactory(currency="PLN", date=FRIDAY)

        assert rate_for(currency="PLN", on=FRIDAY + timedelta(days=7)) == old

    def test_a_rate_older_than_seven_days_is_missing(self):
        ExchangeRateFactory(currency="PLN", date=FRIDAY)

        with translation.override("en"), pytest.raises(MissingRate) as raised:
            rate_for(currency="PLN", on=FRIDAY + timedelta(days=8))

        assert (raised.value.currency, raised.value.on, raised.value.message) == (
            "PLN",
            date(2021, 3, 20),
            "There is no official NBU rate for PLN on 20.03.2021 or the 7 days before it. "
            "A programme officer must add it under Exchange rates.",
        )

    def test_a_later_rate_is_never_used(self):
        ExchangeRateFactory(currency="EUR", date=MONDAY)

        with pytest.raises(MissingRate):
            rate_for(currency="EUR", on=FRIDAY)

    def test_the_hryvnia_has_no_rate(self):
        with pytest.raises(ValueError, match="UAH is the base of every NBU rate"):
            rate_for(currency="UAH", on=FRIDAY)


class TestConvertToUsd:
    def test_usd_needs_no_rate(self):
        assert convert_to_usd(amount=D("1234.5"), currency="USD", on=FRIDAY) == Conversion(
            amount=D("1234.5"), currency="USD", usd=D("1234.50"), usd_per_unit=D("1.00000000"), rate_date=FRIDAY
        )

    def test_uah_needs_only_the_dollar_rate(self):
        ExchangeRateFactory(currency="USD", date=FRIDAY, uah_per_unit=D("27.7563"))

        assert convert_to_usd(amount=D("100000.00"), currency="UAH", on=SATURDAY) == Conversion(
            amount=D("100000.00"), currency="UAH", usd=D("3602.79"), usd_per_unit=D("0.03602786"), rate_date=FRIDAY
        )

    def test_uah_without_a_dollar_rate_is_missing_the_dollar(self):
        with pytest.raises(MissingRate) as raised:
            convert_to_usd(amount=D("100.00"), currency="UAH", on=FRIDAY)

        assert raised.value.currency == "USD"

    def test_euro_is_crossed_through_the_hryvnia(self):
        ExchangeRateFactory(currency="USD", date=FRIDAY, uah_per_unit=D("27.7563"))
        ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2069"))

        assert convert_to_usd(amount=D("2500.00"), currency="EUR", on=FRIDAY) == Conversion(
            amount=D("2500.00"), currency="EUR", usd=D("2990.93"), usd_per_unit=D("1.19637344"), rate_date=FRIDAY
        )

    def test_the_older_of_the_two_rate_dates_is_recorded(self):
        ExchangeRateFactory(currency="USD", date=date(2021, 3, 11), uah_per_unit=D("27.8272"))
        ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2069"))

        assert convert_to_usd(amount=D("1.00"), currency="EUR", on=SATURDAY).rate_date == date(2021, 3, 11)

    def test_a_missing_euro_rate_names_the_euro(self):
        ExchangeRateFactory(currency="USD", date=FRIDAY, uah_per_unit=D("27.7563"))

        with pytest.raises(MissingRate) as raised:
            convert_to_usd(amount=D("1.00"), currency="EUR", on=FRIDAY)

        assert raised.value.currency == "EUR"

    def test_missing_rate_is_an_application_error_with_a_message(self):
        from applications.exceptions import ApplicationError

        assert issubclass(MissingRate, ApplicationError)


class TestRateSave:
    def test_adds_a_rate(self, officer):
        rate, created = rate_save(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2069"), actor=officer)

        assert created is True
        assert stored() == [("EUR", FRIDAY, D("33.206900"), RateSource.MANUAL)]
        assert (rate.created_by, rate.updated_by) == (officer, officer)

    def test_saving_the_same_day_again_corrects_it(self, officer):
        ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.206900"))

        rate, created = rate_save(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2096"), actor=officer)

        assert created is False
        assert stored() == [("EUR", FRIDAY, D("33.209600"), RateSource.MANUAL)]
        assert rate.updated_by == officer

    def test_more_than_six_places_round_half_up(self, officer):
        rate_save(currency="PLN", date=FRIDAY, uah_per_unit=D("7.26410050"), actor=officer)

        assert stored() == [("PLN", FRIDAY, D("7.264101"), RateSource.MANUAL)]

    @pytest.mark.parametrize(
        ("currency", "day", "value", "message"),
        [
            ("EUR", FRIDAY, D("0"), "The rate must be more than zero."),
            ("EUR", FRIDAY, D("-33.2"), "The rate must be more than zero."),
            ("UAH", FRIDAY, D("1"), "Official rates are kept for EUR, PLN, USD only."),
            ("EUR", date.max, D("33.2"), "A rate cannot be entered for a future date."),
        ],
    )
    def test_refuses_with_a_message(self, officer, currency, day, value, message):
        with translation.override("en"), pytest.raises(RateError) as raised:
            rate_save(currency=currency, date=day, uah_per_unit=value, actor=officer)

        assert raised.value.message == message
        assert stored() == []


class TestImport:
    def test_imports_the_sample_file(self, officer):
        with SAMPLE.open("rb") as file:
            result = rates_import_nbu_csv(file=file, actor=officer)

        assert result == ImportResult(created=9, updated=0, skipped=4, errors=[])
        nbu = RateSource.NBU_CSV
        assert stored() == [
            ("EUR", date(2021, 3, 11), D("33.182700"), nbu),
            ("PLN", date(2021, 3, 11), D("7.238400"), nbu),
            ("USD", date(2021, 3, 11), D("27.827200"), nbu),
            ("EUR", FRIDAY, D("33.206900"), nbu),
            ("PLN", FRIDAY, D("7.264100"), nbu),
            ("USD", FRIDAY, D("27.756300"), nbu),
            ("EUR", MONDAY, D("33.085800"), nbu),
            ("PLN", MONDAY, D("7.216300"), nbu),
            ("USD", MONDAY, D("27.735600"), nbu),
        ]
        assert {(rate.created_by_id, rate.updated_by_id) for rate in ExchangeRate.objects.all()} == {
            (officer.pk, officer.pk)
        }

    def test_importing_the_same_file_again_changes_nothing(self, officer):
        with SAMPLE.open("rb") as file:
            rates_import_nbu_csv(file=file, actor=officer)
        with SAMPLE.open("rb") as file:
            result = rates_import_nbu_csv(file=file, actor=officer)

        assert result == ImportResult(created=0, updated=0, skipped=13, errors=[])
        assert ExchangeRate.objects.count() == 9

    def test_reimport_updates_rather_than_duplicates(self, officer):
        ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.000000"), source=RateSource.MANUAL)
        ExchangeRateFactory(currency="USD", date=FRIDAY, uah_per_unit=D("27.756300"), source=RateSource.NBU_CSV)
        text = "r030,txt,rate,cc,exchangedate\n978,Євро,33.2069,EUR,12.03.2021\n840,Долар США,27.7563,USD,12.03.2021\n"

        result = rates_import_nbu_csv(file=upload(text), actor=officer)

        assert result == ImportResult(created=0, updated=1, skipped=1, errors=[])
        assert stored() == [
            ("EUR", FRIDAY, D("33.206900"), RateSource.NBU_CSV),
            ("USD", FRIDAY, D("27.756300"), RateSource.NBU_CSV),
        ]
        assert ExchangeRate.objects.get(currency="EUR").updated_by == officer

    def test_semicolons_decimal_commas_and_units_from_the_nbu_site(self, officer):
        text = (
            "Дата;Код цифровий;Код літерний;Кількість одиниць валюти;Назва валюти;Офіційний курс\n"
            "12.03.2021;840;USD;100;Долар США;2775,6300\n"
            "12.03.2021;978;EUR;1;Євро;33,2069\n"
            "12.03.2021;985;PLN;10;Злотий;72,641\n"
        )

        result = rates_import_nbu_csv(file=upload(text, "cp1251"), actor=officer)

        assert result == ImportResult(created=3, updated=0, skipped=0, errors=[])
        assert stored() == [
            ("EUR", FRIDAY, D("33.206900"), RateSource.NBU_CSV),
            ("PLN", FRIDAY, D("7.264100"), RateSource.NBU_CSV),
            ("USD", FRIDAY, D("27.756300"), RateSource.NBU_CSV),
        ]

    def test_the_archive_service_columns_prefer_rate_per_unit(self, officer):
        text = (
            "exchangedate,r030,cc,txt,enname,rate,units,rate_per_unit,group,calcdate\n"
            "01.01.2002,840,USD,Долар США,US Dollar,529.85,100,5.2985,1,29.12.2001\n"
            '01.01.2002,978,EUR,Євро,Euro,"470,2100",100,,1,29.12.2001\n'
        )

        result = rates_import_nbu_csv(file=upload(text), actor=officer)

        assert result == ImportResult(created=2, updated=0, skipped=0, errors=[])
        assert stored() == [
            ("EUR", date(2002, 1, 1), D("4.702100"), RateSource.NBU_CSV),
            ("USD", date(2002, 1, 1), D("5.298500"), RateSource.NBU_CSV),
        ]

    def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(self, officer):
        text = (
            "r030,txt,rate,cc,exchangedate\n"
            "840,Долар США,27.7563,USD,12.03.2021\n"
            "978,Євро,,EUR,12.03.2021\n"
            "985,Злотий,abc,PLN,12.03.2021\n"
            "985,Злотий,0,PLN,11.03.2021\n"
            "978,Євро,33.2069,EUR,31.02.2021\n"
            ",Без коду,1.0,,12.03.2021\n"
            "\n"
            "840,Долар США,27.9,USD,12.03.2021\n"
            "978,Євро,33.2069,EUR,01.01.2099\n"
            "392,Єна,не число,JPY,12.03.2021\n"
            "985,Злотий,1e400,PLN,12.03.2021\n"
            "985,Злотий,0.0000001,PLN,15.03.2021\n"
        )

        with translation.override("en"):
            result = rates_import_nbu_csv(file=upload(text), actor=officer)

        assert result == ImportResult(
            created=1,
            updated=0,
            skipped=1,
            errors=[
                "Line 3: The rate is missing.",
                "Line 4: “abc” is not a number.",
                "Line 5: The rate must be more than zero.",
                "Line 6: “31.02.2021” is not a date; NBU files write dates as DD.MM.YYYY.",
                "Line 7: The currency code is missing.",
                "Line 9: A second, different rate for USD on 12.03.2021 (see line 2).",
                "Line 10: The date 01.01.2099 is more than 7 days ahead.",
                "Line 12: The rate is too large to be hryvnias for one unit.",
                "Line 13: The rate must be more than zero.",
            ],
        )
        assert stored() == [("USD", FRIDAY, D("27.756300"), RateSource.NBU_CSV)]

    @pytest.mark.parametrize(
        ("text", "error"),
        [
            ("", "The file is empty."),
            ("\n\n", "The file is empty."),
            (
                "Валюта;Значення\nEUR;33.2\n",
                "This is not an NBU exchange-rate file: its first line must name the columns, "
                "and these are missing: exchangedate, cc, rate.",
            ),
            (
                "cc,rate\nEUR,33.2\n",
                "This is not an NBU exchange-rate file: its first line must name the columns, "
                "and these are missing: exchangedate.",
            ),
        ],
    )
    def test_a_file_that_is_not_an_nbu_export_is_refused_whole(self, officer, text, error):
        with translation.override("en"):
            result = rates_import_nbu_csv(file=upload(text), actor=officer)

        assert result == ImportResult(errors=[error])
        assert stored() == []

    @pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x98\xff\xfe"])
    def test_a_binary_file_is_reported_not_a_crash(self, officer, data):
        with translation.override("en"):
            result = rates_import_nbu_csv(file=io.BytesIO(data), actor=officer)

        assert result == ImportResult(errors=["This is not a text (CSV) file."])
        assert stored() == []

    def test_tomorrows_rate_set_in_advance_is_imported(self, officer):
        tomorrow = timezone.localdate() + timedelta(days=1)
        text = f"r030,txt,rate,cc,exchangedate\n978,Євро,44.1,EUR,{tomorrow:%d.%m.%Y}\n"

        result = rates_import_nbu_csv(file=upload(text), actor=officer)

        assert result == ImportResult(created=1, updated=0, skipped=0, errors=[])
