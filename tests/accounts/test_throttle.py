"""Failed sign-ins slow the attacker and never lock the owner out (accounts.throttle, accounts.network).

Settings in force (onepluone/settings/base.py): 5 free failures per account at an address and 20 per
address, then waits of 30 s, 60 s, 120 s... after the previous failure, at most an hour. The clock is
moved by setting `accounts.throttle.now`; nothing sleeps.
"""

import pytest

from accounts import throttle
from accounts.models import User
from accounts.network import address_key, client_ip
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.signin import TOTP_SECRET, totp_authenticator, totp_code

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
REFUSED = "Забагато невдалих спроб входу."


class Clock:
    def __init__(self, monkeypatch):
        self.at = 1_800_000_000.0
        monkeypatch.setattr(throttle, "now", lambda: self.at)

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def sign_in(client, email: str, password: str, *, address: str):
    return client.post("/uk/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address, follow=False)


def signed_in(response) -> bool:
    return response.status_code == 302


def test_backoff_doubles_after_the_free_failures_and_stops_at_the_cap():
    backoff = throttle.Backoff(free=5, base_seconds=30, max_seconds=3600)

    waits = [backoff.wait_before(attempt) for attempt in range(1, 14)]

    assert waits == [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600]


def test_an_attacker_guessing_one_account_is_slowed_with_growing_waits(client, clock):
    victim = UserFactory(email="olena@example.org")

    free = [sign_in(client, victim.email, f"guess-{n}", address=ATTACKER) for n in range(5)]
    sixth_at_once = sign_in(client, victim.email, "guess-5", address=ATTACKER)
    clock.advance(29)
    sixth_after_29_s = sign_in(client, victim.email, "guess-5", address=ATTACKER)
    clock.advance(1)
    sixth_after_30_s = sign_in(client, victim.email, "guess-5", address=ATTACKER)
    clock.advance(59)
    seventh_after_59_s = sign_in(client, victim.email, "guess-6", address=ATTACKER)
    clock.advance(1)
    seventh_after_60_s = sign_in(client, victim.email, "guess-6", address=ATTACKER)

    assert [response.status_code for response in free] == [200] * 5
    assert all(REFUSED not in response.text for response in free)
    assert "Спробуйте ще раз через 30 секунд." in sixth_at_once.text
    assert "Спробуйте ще раз через 1 секунду." in sixth_after_29_s.text
    assert REFUSED not in sixth_after_30_s.text  # checked: a wrong password, said so
    assert "Спробуйте ще раз через 1 секунду." in seventh_after_59_s.text
    assert REFUSED not in seventh_after_60_s.text
    assert "Спробуйте ще раз через 2 хвилини." in sign_in(client, victim.email, "x", address=ATTACKER).text


def test_while_the_attacker_waits_even_the_right_password_from_the_attackers_address_is_not_checked(client, clock):
    victim = UserFactory(email="olena@example.org")
    for n in range(5):
        sign_in(client, victim.email, f"guess-{n}", address=ATTACKER)

    response = sign_in(client, victim.email, PASSWORD, address=ATTACKER)

    assert REFUSED in response.text
    assert "_auth_user_id" not in client.session


def test_a_wave_of_wrong_passwords_from_many_addresses_never_locks_the_owner_out(client, clock):
    victim = UserFactory(email="olena@example.org")
    for wave in range(40):
        for attacker in range(10):
            sign_in(client, victim.email, f"guess-{wave}", address=f"203.0.113.{attacker}")

    response = sign_in(client, victim.email, PASSWORD, address=OWNER)

    assert signed_in(response)
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_an_address_guessing_many_accounts_is_slowed_after_20_failures(client, clock):
    for n in range(20):
        sign_in(client, f"person{n}@example.org", "wrong-password", address=ATTACKER)

    response = sign_in(client, "another@example.org", "wrong-password", address=ATTACKER)

    assert "Спробуйте ще раз через 30 секунд." in response.text


def test_a_successful_sign_in_clears_the_accounts_count_but_not_the_addresss(client, clock):
    owner = UserFactory(email="olena@example.org")
    for n in range(4):
        sign_in(client, owner.email, f"typo-{n}", address=OWNER)
    assert signed_in(sign_in(client, owner.email, PASSWORD, address=OWNER))
    client.logout()

    four_more_typos = [sign_in(client, owner.email, f"typo-{n}", address=OWNER) for n in range(4)]

    assert all(REFUSED not in response.text for response in four_more_typos)
    # 8 failures at this address so far; 12 more are free, then the address waits.
    for n in range(12):
        sign_in(client, f"person{n}@example.org", "wrong-password", address=OWNER)
    assert REFUSED in sign_in(client, "someone@example.org", "wrong-password", address=OWNER).text


def test_counts_are_kept_apart_for_each_address_behind_the_trusted_proxy(client, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    victim = UserFactory(email="olena@example.org")
    for n in range(5):
        client.post(
            "/uk/accounts/login/",
            {"login": victim.email, "password": f"guess-{n}"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    response = client.post(
        "/uk/accounts/login/",
        {"login": victim.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=OWNER,
    )

    assert signed_in(response)


def test_wrong_second_factor_codes_are_slowed_per_address_too(client, clock):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    totp_authenticator(officer)

    def password_then_code(code, address):
        client.logout()
        sign_in(client, officer.email, PASSWORD, address=address)
        return client.post("/uk/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR=address)

    wrong = [password_then_code("000000", ATTACKER) for _ in range(5)]
    sixth = password_then_code("000000", ATTACKER)
    owner = password_then_code(totp_code(TOTP_SECRET), OWNER)

    assert all("Неправильний код." in response.text for response in wrong)
    assert "Забагато неправильних кодів. Спробуйте ще раз через 30 секунд." in sixth.text
    assert owner["Location"] == "/uk/dashboard/"


def test_the_message_reads_in_english_on_english_pages(client, clock):
    for n in range(5):
        client.post("/en/accounts/login/", {"login": "x@example.org", "password": f"g{n}"}, REMOTE_ADDR=ATTACKER)

    response = client.post("/en/accounts/login/", {"login": "x@example.org", "password": "g"}, REMOTE_ADDR=ATTACKER)

    assert "Too many failed attempts to sign in. Try again in 30 seconds." in response.text
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("count", "forwarded_for", "remote", "expected"),
    [
        (0, "203.0.113.66", "10.0.0.2", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.66", "10.0.0.2", "203.0.113.66"),
        (1, "1.2.3.4, 203.0.113.66", "10.0.0.2", "203.0.113.66"),  # the client wrote 1.2.3.4 itself
        (2, "1.2.3.4, 203.0.113.66, 10.0.0.9", "10.0.0.2", "203.0.113.66"),
        (2, "203.0.113.66", "10.0.0.2", "10.0.0.2"),  # fewer hops than proxies: the connection's
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_client_ip_reads_the_trusted_hop_from_the_right(rf, settings, count, forwarded_for, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


def test_a_spoofed_forwarded_for_from_an_untrusted_hop_does_not_escape_the_throttle(client, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            "/uk/accounts/login/",
            {"login": "olena@example.org", "password": f"guess-{n}"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {ATTACKER}",
        )

    response = client.post(
        "/uk/accounts/login/",
        {"login": "olena@example.org", "password": "guess"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}",
    )

    assert "Спробуйте ще раз через 30 секунд." in response.text


def test_ipv6_addresses_count_per_64_network():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("203.0.113.66") == "203.0.113.66"
