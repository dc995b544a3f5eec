from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from . import throttle


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    field_order = ["first_name", "last_name", "email", "password1", "password2"]


class _ThrottledCodeMixin:
    """Second-factor codes are throttled like passwords (accounts.throttle): per address and per
    account at that address, so wrong codes sent from elsewhere never lock the owner out."""

    def clean_code(self):
        try:
            attempt = throttle.attempt_begin(context.request, account=f"user:{self.user.pk}", action="code")
        except throttle.Throttled as refusal:
            raise forms.ValidationError(throttle.wait_message(refusal.wait_seconds, kind="code")) from None
        try:
            code = super().clean_code()
        except forms.ValidationError:
            attempt.failed()
            raise
        attempt.succeeded()
        return code


class MFAAuthenticateForm(_ThrottledCodeMixin, AuthenticateForm):
    pass


class MFAReauthenticateForm(_ThrottledCodeMixin, ReauthenticateForm):
    pass
