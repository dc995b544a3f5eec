from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from applications.models import Application
from grants.models import Letter
from plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_every_role_and_applications_in_several_states_once():
    first, second = StringIO(), StringIO()

    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert Counter(Application.objects.values_list("status", flat=True)) == Counter(
        {
            "submitted": 2,
            "shortlisted": 1,
            "invited_to_defense": 1,
            "rejected": 1,
            "withdrawn": 1,
            "draft": 1,
            # the closed 2025 call at the decision stage; Halyna's letter renders once the seed commits
            "approved": 1,
            "recommended": 2,
            "waitlisted": 1,
        }
    )
    assert list(
        PlanVersion.objects.order_by("plan__application__applicant__email").values_list(
            "plan__application__applicant__email", "status", "grant_usd"
        )
    ) == [
        ("bohdan@example.org", "submitted", 4000),
        ("halyna@example.org", "submitted", 3500),
        ("ivan@example.org", "draft", None),
        ("lesia@example.org", "submitted", 2500),
        ("oksana@example.org", "submitted", 2500),
        ("stepan@example.org", "submitted", 3800),
    ]
    assert list(Letter.objects.values_list("application__applicant__email", "kind", "status")) == [
        ("halyna@example.org", "award", "pending")
    ]
    assert "officer@example.org" in first.getvalue()
    assert "Demo data already present" in second.getvalue()
