"""Failed sign-ins slow down whoever makes them, and never lock the account's owner out.

Each attempt (a password, or a second-factor code) is counted twice: per client address, and per
account at that address. A few failures are free; after them every attempt waits twice as long after
the previous failure as the one before it did (SIGN_IN_BACKOFF_SECONDS, at most
SIGN_IN_BACKOFF_MAX_SECONDS). Nothing is counted per account alone, so a wave of wrong passwords for
someone's account from other addresses slows those addresses and leaves the owner, at their own
address, to sign in as usual. A success clears its account-at-address count; it does not clear the
address's, or an attacker could mix successful sign-ins into a guessing run.

Counts live in the default cache (Redis in production, shared by every web process). An attempt
claims its place with an atomic increment before the password is checked, so requests sent in
parallel when a wait ends get one attempt between them, not one each. Counts are forgotten a day
after the last failure.
"""

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .network import address_key, client_ip

FORGET_AFTER_SECONDS = 24 * 60 * 60


def now() -> float:
    """The throttle's clock (tests move it)."""
    return time.time()


class Throttled(Exception):
    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def wait_message(wait_seconds: int, *, kind: str) -> str:
    if wait_seconds < 120:
        wait = ngettext("%(count)d second", "%(count)d seconds", wait_seconds) % {"count": wait_seconds}
    else:
        minutes = math.ceil(wait_seconds / 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if kind == "code":
        return _("Too many incorrect codes. Try again in %(wait)s.") % {"wait": wait}
    return _("Too many failed attempts to sign in. Try again in %(wait)s.") % {"wait": wait}


@dataclass(frozen=True)
class Backoff:
    free: int
    base_seconds: int
    max_seconds: int

    def wait_before(self, attempt: int) -> int:
        """Seconds attempt number `attempt` waits after the previous failure (the first is 1)."""
        if attempt <= self.free:
            return 0
        return min(self.base_seconds * 2 ** (attempt - self.free - 1), self.max_seconds)


def backoff_per_address() -> Backoff:
    return Backoff(
        settings.SIGN_IN_FREE_FAILURES_PER_ADDRESS,
        settings.SIGN_IN_BACKOFF_SECONDS,
        settings.SIGN_IN_BACKOFF_MAX_SECONDS,
    )


def backoff_per_account() -> Backoff:
    return Backoff(
        settings.SIGN_IN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        settings.SIGN_IN_BACKOFF_SECONDS,
        settings.SIGN_IN_BACKOFF_MAX_SECONDS,
    )


@dataclass(frozen=True)
class Counter:
    key: str
    backoff: Backoff

    def claim(self) -> int:
        """Count this attempt in; the number of failed or unfinished attempts, this one included."""
        for _try in range(3):
            cache.add(self.key, 0, FORGET_AFTER_SECONDS)
            try:
                return cache.incr(self.key)
            except ValueError:  # expired between add and incr
                continue
        return 1

    def wait(self, attempt: int, *, at: float) -> int:
        needed = self.backoff.wait_before(attempt)
        if not needed:
            return 0
        last_failure = cache.get(f"{self.key}:last", 0)
        return max(0, math.ceil(last_failure + needed - at))

    def release(self) -> None:
        with contextlib.suppress(ValueError):  # forgotten meanwhile
            cache.decr(self.key)

    def fail(self, *, at: float) -> None:
        cache.set(f"{self.key}:last", at, FORGET_AFTER_SECONDS)
        cache.touch(self.key, FORGET_AFTER_SECONDS)

    def clear(self) -> None:
        cache.delete_many([self.key, f"{self.key}:last"])


@dataclass(frozen=True)
class Attempt:
    per_address: Counter
    per_account: Counter

    def succeeded(self) -> None:
        self.per_address.release()
        self.per_account.clear()

    def failed(self) -> None:
        at = now()
        self.per_address.fail(at=at)
        self.per_account.fail(at=at)


def attempt_begin(request, *, account: str, action: str) -> Attempt:
    """Claim an attempt for `account` (an email, a user id) from this request's address, or raise
    Throttled with the seconds to wait. `action` keeps passwords and codes apart."""
    address = address_key(client_ip(request))
    account_hash = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
    attempt = Attempt(
        per_address=Counter(f"throttle:{action}:address:{address}", backoff_per_address()),
        per_account=Counter(f"throttle:{action}:account:{account_hash}:{address}", backoff_per_account()),
    )
    at = now()
    claimed = []
    for counter in (attempt.per_address, attempt.per_account):
        number = counter.claim()
        claimed.append(counter)
        wait = counter.wait(number, at=at)
        if wait:
            for done in claimed:
                done.release()
            raise Throttled(wait)
    return attempt
