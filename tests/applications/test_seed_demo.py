from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from applications.models import Application
from plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_every_role_and_applications_in_several_states_once():
    first, second = StringIO(), StringIO()

    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert Counter(Application.objects.values_list("status", flat=True)) == Counter(
        {"submitted": 2, "shortlisted": 1, "invited_to_defense": 1, "rejected": 1, "withdrawn": 1, "draft": 1}
    )
    assert list(
        PlanVersion.objects.order_by("plan__application__applicant__email").values_list(
            "plan__application__applicant__email", "status", "grant_usd"
        )
    ) == [("ivan@example.org", "draft", None), ("oksana@example.org", "submitted", 2500)]
    assert "officer@example.org" in first.getvalue()
    assert "Demo data already present" in second.getvalue()
