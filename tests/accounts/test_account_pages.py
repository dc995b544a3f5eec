"""allauth's pages in the programme's layout and words: Bootstrap fields, an error summary, and the
project catalogue's Ukrainian instead of the package's ("Запам'ятати Мене", "адресоюелектронної")."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_shows_the_projects_ukrainian_not_allauths(client):
    html = client.get("/uk/accounts/login/").content.decode()

    assert "Запам’ятати мене" in html and "Запам'ятати Мене" not in html
    assert "спершу <a" in html and "зареєструйтеся" in html and "зареєструйтесь" not in html
    assert re.search(r'<input type="email" name="login"[^>]*class="[^"]*\bform-control\b[^"]*"[^>]*id="id_login"', html)


@pytest.mark.parametrize(
    ("path", "wording", "allauths"),
    [
        ("/uk/accounts/signup/", "Зареєструватися", "Зареєструватись"),
        ("/uk/accounts/confirm-email/", "Перейдіть за посиланням у ньому", "Слідуйте по посиланню"),
        ("/uk/accounts/password/reset/", "Відновити пароль", "Відновити Мій Пароль"),
        ("/en/accounts/login/", "Remember me", "Remember Me"),
    ],
)
def test_account_pages_read_as_the_catalogue_says(client, path, wording, allauths):
    html = client.get(path).content.decode()

    assert wording in html and allauths not in html


def test_a_failed_sign_in_shows_the_error_summary_in_ukrainian(client):
    UserFactory(email="olena@example.org")

    html = client.post("/uk/accounts/login/", {"login": "olena@example.org", "password": "wrong-one"}).content.decode()

    assert 'data-testid="error-summary"' in html
    assert "Є помилки" in html and "Адреса електронної пошти або пароль неправильні." in html


def test_a_weak_password_is_refused_in_good_ukrainian(client):
    response = client.post(
        "/uk/accounts/signup/",
        {
            "first_name": "О",
            "last_name": "С",
            "email": "o@example.org",
            "password1": "1234567890",
            "password2": "1234567890",
        },
    )

    html = response.content.decode()
    assert "Пароль складається лише з цифр." in html
    assert "не може складається" not in html
    assert '<a href="#id_password1">' in html  # the summary links to the field
