"""People: a user of any role, signed up and with a verified email."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Марія"
    last_name = "Іваненко"
    preferred_language = "uk"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role=Role.PROGRAMME_OFFICER)`; applicants by default. The email is verified."""
        if not create:
            return
        self.save()
        self.groups.add(Group.objects.get(name=extracted or Role.APPLICANT))
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
