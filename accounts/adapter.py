from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.utils import translation

from .roles import Role
from .tasks import send_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    """Account emails leave through Celery after commit; a new account is an applicant."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
        send_rendered_email.delay_on_commit(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html=html,
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "uk"
        user.preferred_language = "en" if language.startswith("en") else "uk"
        if commit:
            user.save()
            user.groups.add(Group.objects.get(name=Role.APPLICANT))
        return user
