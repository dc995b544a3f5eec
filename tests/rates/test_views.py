from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from rates.enums import RateSource
from rates.models import ExchangeRate
from tests.conftest import one_and_many, url
from tests.factories import ExchangeRateFactory, UserFactory

D = Decimal
SAMPLE = Path(__file__).with_name("nbu_sample.csv")
FRIDAY = date(2021, 3, 12)

pytestmark = pytest.mark.django_db


class TestPermissions:
    @pytest.mark.parametrize("name", ["rates:list", "rates:edit", "rates:import"])
    def test_anonymous_visitors_go_to_the_login_page(self, client, name):
        response = client.get(url(name))

        assert (response.status_code, response["Location"]) == (302, f"/en/accounts/login/?next={url(name)}")

    @pytest.mark.parametrize("name", ["rates:list", "rates:edit", "rates:import"])
    def test_applicants_are_refused(self, client, name):
        client.force_login(UserFactory(role=Role.APPLICANT))

        assert client.get(url(name)).status_code == 403

    def test_approvers_see_the_rates_but_cannot_change_them(self, client):
        client.force_login(UserFactory(role=Role.APPROVER))
        ExchangeRateFactory(currency="EUR", date=FRIDAY)

        listing = client.get(url("rates:list"))

        assert listing.status_code == 200
        assert listing.context["can_manage"] is False
        assert url("rates:edit") not in listing.text
        assert client.get(url("rates:edit")).status_code == 403
        assert client.post(url("rates:import")).status_code == 403

    def test_the_staff_dashboard_links_to_the_rates(self, officer_client):
        response = officer_client.get(url("staff:dashboard"))

        assert f'href="{url("rates:list")}">Exchange rates</a>' in response.text


class TestList:
    def test_newest_first_and_filtered_by_currency(self, officer_client):
        ExchangeRateFactory(currency="EUR", date=date(2021, 3, 11))
        ExchangeRateFactory(currency="EUR", date=FRIDAY)
        ExchangeRateFactory(currency="USD", date=FRIDAY, uah_per_unit=D("27.7563"))

        everything = officer_client.get(url("rates:list"))
        euros = officer_client.get(url("rates:list"), {"currency": "EUR"})

        assert [(r.currency, r.date) for r in everything.context["page"]] == [
            ("EUR", FRIDAY),
            ("USD", FRIDAY),
            ("EUR", date(2021, 3, 11)),
        ]
        assert [(r.currency, r.date) for r in euros.context["page"]] == [("EUR", FRIDAY), ("EUR", date(2021, 3, 11))]

    def test_pages_of_twenty_five(self, officer_client):
        for day in range(30):
            ExchangeRateFactory(currency="PLN", date=FRIDAY - timedelta(days=day))

        second = officer_client.get(url("rates:list"), {"currency": "PLN", "page": 2})

        assert [r.date for r in second.context["page"]] == [FRIDAY - timedelta(days=day) for day in range(25, 30)]
        assert 'href="?currency=PLN&amp;page=1"' in second.text

    @one_and_many(30)
    def test_same_number_of_queries_for_one_rate_and_many(self, officer_client, page_queries, size):
        for day in range(size):
            ExchangeRateFactory(
                currency="EUR", date=FRIDAY - timedelta(days=day), updated_by=UserFactory(role=Role.PROGRAMME_OFFICER)
            )

        page_queries(5, url("rates:list"))


class TestAddOrCorrect:
    def test_an_officer_adds_a_rate(self, officer_client):
        response = officer_client.post(
            url("rates:edit"), {"currency": "EUR", "date": "2021-03-12", "uah_per_unit": "33.2069"}, follow=True
        )

        assert response.redirect_chain == [(f"{url('rates:list')}?currency=EUR", 302)]
        assert [str(m) for m in response.context["messages"]] == ["The EUR rate of 12.03.2021 is added: 33.206900 UAH."]
        assert [(r.currency, r.date, r.uah_per_unit, r.source) for r in ExchangeRate.objects.all()] == [
            ("EUR", FRIDAY, D("33.206900"), RateSource.MANUAL)
        ]

    def test_saving_a_day_that_has_a_rate_corrects_it(self, officer_client):
        ExchangeRateFactory(currency="EUR", date=FRIDAY, uah_per_unit=D("33.2069"))

        response = officer_client.post(
            url("rates:edit"), {"currency": "EUR", "date": "2021-03-12", "uah_per_unit": "33.2096"}, follow=True
        )

        assert [str(m) for m in response.context["messages"]] == [
            "The EUR rate of 12.03.2021 is corrected: 33.209600 UAH."
        ]
        assert [(r.currency, r.date, r.uah_per_unit) for r in ExchangeRate.objects.all()] == [
            ("EUR", FRIDAY, D("33.209600"))
        ]

    def test_the_correct_link_prefills_the_form(self, officer_client):
        ExchangeRateFactory(currency="PLN", date=FRIDAY, uah_per_unit=D("7.2641"))

        response = officer_client.get(url("rates:edit"), {"currency": "PLN", "date": "2021-03-12"})

        assert response.context["form"].initial == {"currency": "PLN", "date": FRIDAY, "uah_per_unit": D("7.264100")}

    def test_a_future_date_is_refused_with_a_message(self, officer_client):
        tomorrow = timezone.localdate() + timedelta(days=1)

        response = officer_client.post(
            url("rates:edit"), {"currency": "EUR", "date": tomorrow.isoformat(), "uah_per_unit": "44.1"}
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "date": ["The date cannot be in the future: enter a rate the NBU has already set."]
        }
        assert [str(m) for m in response.context["messages"]] == ["Please correct the highlighted fields."]
        assert ExchangeRate.objects.count() == 0

    def test_a_rate_of_zero_is_refused(self, officer_client):
        response = officer_client.post(
            url("rates:edit"), {"currency": "EUR", "date": "2021-03-12", "uah_per_unit": "0"}
        )

        assert response.context["form"].errors == {"uah_per_unit": ["The rate must be more than zero."]}
        assert ExchangeRate.objects.count() == 0

    def test_the_hryvnia_cannot_be_chosen(self, officer_client):
        response = officer_client.post(
            url("rates:edit"), {"currency": "UAH", "date": "2021-03-12", "uah_per_unit": "1"}
        )

        assert response.context["form"].errors == {
            "currency": ["Select a valid choice. UAH is not one of the available choices."]
        }


class TestImportPage:
    def test_upload_shows_the_result(self, officer_client):
        text = "r030,txt,rate,cc,exchangedate\n978,Євро,33.2069,EUR,12.03.2021\n978,Євро,x,EUR,11.03.2021\n"
        upload = SimpleUploadedFile("rates.csv", text.encode(), content_type="text/csv")

        response = officer_client.post(url("rates:import"), {"file": upload})

        result = response.context["result"]
        assert (result.created, result.updated, result.skipped, result.errors) == (
            1,
            0,
            0,
            ["Line 3: “x” is not a number."],
        )
        assert '<dd class="col-6 col-md-9" data-testid="import-created">1</dd>' in response.text
        assert "<li>Line 3: “x” is not a number.</li>" in response.text

    def test_upload_of_the_sample_file(self, officer_client):
        with SAMPLE.open("rb") as file:
            response = officer_client.post(url("rates:import"), {"file": file})

        result = response.context["result"]
        assert (result.created, result.updated, result.skipped, result.errors) == (9, 0, 4, [])
        assert ExchangeRate.objects.count() == 9

    def test_no_file_is_a_form_error(self, officer_client):
        response = officer_client.post(url("rates:import"), {})

        assert (response.context["result"], response.context["form"].errors) == (
            None,
            {"file": ["This field is required."]},
        )
