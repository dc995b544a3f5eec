"""Two-factor authentication (allauth.mfa), required for every role but applicants.

allauth asks for the second factor while signing in whoever has an authenticator (its login stage).
This module adds the rule: a user who `requires_second_factor` (accounts.roles) opens no page but
the sign-in, set-up and public ones until their session records a second factor, the way allauth
records every authentication step (`account_authentication_methods` in the session). A staff user
without an authenticator is sent to set one up; one with an authenticator whose session has no second
factor (signed in before enrolling, through the Django admin's form, or promoted to a staff role
while signed in) is asked for a code.
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.signals import authenticator_added
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import messages
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from common import crypto

from .roles import requires_second_factor

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Pages open to a signed-in user who still owes a second factor: signing in and out, giving or
# setting up the second factor (every mfa_* page), email verification, password recovery, and the
# public pages anyone may read.
OPEN_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "home",
        "healthz",
        "set_language",
        "javascript-catalog",
        "letter_verify",
        "letter_verify_form",
        "applications:call_list",
        "applications:call_detail",
    }
)


def passed_second_factor(request) -> bool:
    """Whether this session recorded a second factor for its user (allauth's record, or ours below)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def totp_enrol(*, user, secret: str) -> Authenticator:
    """Give `user` an authenticator app with a known base32 `secret` (the demo's and the tests'), and
    recovery codes, as enrolling through the set-up page does."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)
    return TOTP.activate(user, secret).instance


def _is_open(match) -> bool:
    return match.url_name is not None and (match.view_name in OPEN_URL_NAMES or match.url_name.startswith("mfa_"))


class SecondFactorRequiredMiddleware:
    """The one place that holds staff to their second factor (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or passed_second_factor(request):
            return None
        if _is_open(request.resolver_match) or not requires_second_factor(user):
            return None
        types = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
        if Authenticator.Type.TOTP in types:
            target = "mfa_reauthenticate"
            message = _("Enter the code from your authenticator app to continue.")
        elif Authenticator.Type.WEBAUTHN in types:
            target = "mfa_reauthenticate_webauthn"
            message = _("Confirm with your security key or passkey to continue.")
        else:
            target = "mfa_activate_totp"
            message = _(
                "Your role gives access to applicants' personal data, so your account needs two-factor "
                "authentication. Set up an authenticator app to continue."
            )
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        messages.warning(request, message)
        return redirect(url)


@receiver(authenticator_added)
def _record_second_factor_on_enrolment(sender, request, user, authenticator, **kwargs):
    """Adding an authenticator proves it (the user entered its code or used the key): the session
    counts it as the second factor, so a staff member who just enrolled goes on to their work."""
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


# Staff authenticator secrets at rest ----------------------------------------------------------------------
# allauth keeps a TOTP secret and the recovery codes' seed in `Authenticator.data`; its adapter's
# encrypt/decrypt hooks (accounts.adapter.MFAAdapter) store them encrypted with the keys of
# FIELD_ENCRYPTION_KEYS (common.crypto), marked with a prefix so a value from before encryption still reads.

SECRET_PREFIX = "fernet:"  # noqa: S105 - a marker, not a secret
SECRET_KEYS = ("secret", "seed")  # TOTP secret, recovery codes' seed


def secret_encrypt(text: str) -> str:
    return text if text.startswith(SECRET_PREFIX) else SECRET_PREFIX + crypto.encrypt(text)


def secret_decrypt(stored: str) -> str:
    return crypto.decrypt(stored.removeprefix(SECRET_PREFIX)) if stored.startswith(SECRET_PREFIX) else stored


def authenticator_secrets_rotate(*, rotate: bool = True) -> int:
    """Encrypt the secrets still in plain text and, with `rotate`, re-encrypt the others with the newest key.
    Returns how many authenticators changed; a second run changes none."""
    changed = 0
    for authenticator in Authenticator.objects.filter(
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).iterator():
        data = dict(authenticator.data)
        for key in SECRET_KEYS:
            value = data.get(key)
            if not isinstance(value, str):
                continue
            if not value.startswith(SECRET_PREFIX):
                data[key] = secret_encrypt(value)
            elif rotate and not crypto.is_current(value.removeprefix(SECRET_PREFIX)):
                data[key] = SECRET_PREFIX + crypto.rotate(value.removeprefix(SECRET_PREFIX))
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            changed += 1
    return changed
