import time
from types import SimpleNamespace
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from common.email import email_message
from common.site import absolute_url, site_domain, site_name, site_url

from . import throttle
from .mfa import SECOND_FACTOR_TYPES, secret_decrypt, secret_encrypt
from .network import client_ip
from .roles import Role, requires_second_factor
from .tasks import send_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    """Account emails leave through Celery after commit, in the programme's email layout, with every link
    on SITE_URL; a new account is an applicant; failed sign-ins are slowed per address (accounts.throttle),
    behind the trusted proxies (accounts.network)."""

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        # allauth's templates sign with the Site's name and domain; without django.contrib.sites they were
        # empty ("Hello from !"). They are the programme's, from SITE_URL.
        site = SimpleNamespace(name=site_name(), domain=site_domain())
        ctx = {"request": request, "email": email, "current_site": site}
        ctx.update({key: self._on_site_url(request, value) for key, value in context.items()})
        rendered = self.render_mail(template_prefix, email, ctx)
        message = email_message(subject=rendered.subject, text=rendered.body, to=list(rendered.to))
        send_rendered_email.delay_on_commit(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html=message.alternatives[0][0],
            reply_to=list(message.reply_to),
        )

    @staticmethod
    def _on_site_url(request, value):
        """A link allauth built on the request's host (a sign-up or reset link), moved onto SITE_URL."""
        if request is not None and isinstance(value, str):
            here = request.build_absolute_uri("/")
            if value.startswith(here):
                return site_url() + "/" + value[len(here) :]
        return value

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "uk"
        user.preferred_language = "en" if language.startswith("en") else "uk"
        if commit:
            user.save()
            user.groups.add(Group.objects.get(name=Role.APPLICANT))
        return user

    def get_client_ip(self, request):
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Replaces allauth's per-account limit (which let anyone lock anyone out) with the throttle."""
        try:
            self._sign_in_attempt = throttle.attempt_begin(
                request, account=credentials.get("email", ""), action="password"
            )
        except throttle.Throttled as refusal:
            raise ValidationError(throttle.wait_message(refusal.wait_seconds, kind="password")) from None

    def authenticate(self, request, **credentials):
        self._sign_in_attempt = None
        user = super().authenticate(request, **credentials)
        attempt = self._sign_in_attempt
        if attempt is not None:
            attempt.succeeded() if user else attempt.failed()
        return user

    def is_reauthentication_required(self, *, app, **kwargs):
        """Setting up a second factor right after signing in with the password asks for it only once."""
        if app == "allauth.mfa" and _signed_in_moments_ago(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _signed_in_moments_ago(request) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    passwords = [record["at"] for record in records if record.get("method") == "password"]
    return bool(passwords) and time.time() - passwords[-1] < account_settings.REAUTHENTICATION_TIMEOUT


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery-code seeds are stored encrypted (accounts.mfa.secret_encrypt)."""
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator):
        """Staff keep at least one second factor: the last one of a staff account cannot be removed."""
        user = authenticator.user
        if not requires_second_factor(user) or authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        second_factors = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES)
        return second_factors.exclude(pk=authenticator.pk).exists()
