"""A refused or partial save of an application step keeps every answer stored before (rows compared)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def url(*args):
    with translation.override("en"):
        return reverse("applications:application_step", args=args)


def stored(application) -> dict:
    row = model_to_dict(Application.objects.get(pk=application.pk), exclude=["migration_evidence"])
    return row


@pytest.mark.parametrize("action", ["save", "next", "autosave"])
def test_an_invalid_phone_alone_changes_nothing_else_of_the_step(client, action):
    application = ApplicationFactory(patronymic="Петрівна")
    client.force_login(application.applicant)
    before = stored(application)

    response = client.post(url(application.pk, "personal"), {"phone": "call me maybe", "action": action})

    assert response.status_code == 200
    assert stored(application) == before


def test_a_partial_save_changes_only_what_it_sends(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    before = stored(application)

    client.post(url(application.pk, "business"), {"hromada": "Пустомитівська", "action": "autosave"})

    assert stored(application) == {**before, "hromada": "Пустомитівська"}


def test_a_field_cleared_on_purpose_is_saved_blank(client):
    application = ApplicationFactory(patronymic="Петрівна")
    client.force_login(application.applicant)

    client.post(url(application.pk, "personal"), {"patronymic": "", "phone": "bad", "action": "save"})

    application.refresh_from_db()
    assert (application.patronymic, application.phone) == ("", "+48 600 100 200")
