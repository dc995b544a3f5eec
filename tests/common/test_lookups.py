"""Out-of-range integers in a multiple choice are a form error, never a 500 (SQLite raised OverflowError)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.models import Application, PriorityGroup
from tests.factories import ApplicationFactory, UserFactory, submitted_application

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_in_lookups_skip_values_no_integer_column_holds():
    group = PriorityGroup.objects.first()

    found = list(PriorityGroup.objects.filter(pk__in=[int(HUGE), group.pk, -int(HUGE)]))

    assert (found, list(Application.objects.filter(pk__in=[int(HUGE)]))) == ([group], [])


def test_a_huge_priority_group_id_is_a_message_and_saves_nothing(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)

    response = client.post(
        url("applications:application_step", application.pk, "declarations"),
        {"priority_groups": [HUGE], "action": "save"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["priority_groups"] == [
        f"Select a valid choice. {HUGE} is not one of the available choices."
    ]


def test_a_huge_application_id_in_a_bulk_action_is_a_message_and_moves_nothing(client):
    application = submitted_application()
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = client.post(
        url("staff:queue_bulk", application.call_id), {"applications": [HUGE, application.pk], "action": "shortlist"}
    )
    application.refresh_from_db()

    assert (response.status_code, application.status) == (302, "submitted")
