from types import SimpleNamespace
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from common.email import email_message
from common.site import absolute_url, site_domain, site_name, site_url

from .roles import Role
from .tasks import send_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    """Account emails leave through Celery after commit, in the programme's email layout, with every link
    on SITE_URL; a new account is an applicant."""

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
