"""The applicant's pages under production-like settings: DEBUG off, hashed static files from a manifest."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications import services
from applications.staff import services as screening
from tests.factories import ApplicationFactory, UserFactory, submitted_application

pytestmark = pytest.mark.django_db


MANIFEST = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The static files as production collects them (hashed names and a manifest), once for the module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": MANIFEST}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def manifest_static(settings, collected):
    settings.DEBUG = False
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}


def test_a_rejected_applicant_reads_their_application_with_the_reason_and_the_officers_note(client, manifest_static):
    application = submitted_application()
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    screening.application_reject(application=application, actor=officer, reason="region", note="Область не входить.")
    client.force_login(application.applicant)

    with translation.override("en"):
        response = client.get(reverse("applications:application_detail", args=[application.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The region is not eligible in this call<br>Область не входить." in page


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_the_applicants_own_page_answers_in_every_state(client, manifest_static, state):
    application = ApplicationFactory() if state == "draft" else submitted_application()
    if state == "withdrawn":
        services.application_withdraw(application=application, actor=application.applicant, note="Змінилися плани")
    client.force_login(application.applicant)

    with translation.override("uk"):
        response = client.get(reverse("applications:application_detail", args=[application.pk]))

    assert response.status_code == 200
