from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from applications.models import Application
from grants.models import Grant, Letter
from monitoring.models import MonitoringReport, RetentionCase
from plans.models import PlanVersion
from procurement.models import ProcurementItem

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
            # the 2024 call after the award (monitoring.demo)
            "awarded": 3,
            "equipment_delivered": 2,
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
        ("marta@example.org", "submitted", 3100),
        ("mykola@example.org", "submitted", 2400),
        ("oksana@example.org", "submitted", 2500),
        ("olha@example.org", "submitted", 2500),
        ("roman@example.org", "submitted", 2600),
        ("stepan@example.org", "submitted", 3800),
        ("vasyl@example.org", "submitted", 3000),
    ]
    assert list(
        Letter.objects.order_by("application__applicant__email").values_list(
            "application__applicant__email", "kind", "status"
        )
    ) == [
        (f"{name}@example.org", "award", "pending") for name in ("halyna", "marta", "mykola", "olha", "roman", "vasyl")
    ]
    assert "officer@example.org" in first.getvalue() and "mykola@example.org" in first.getvalue()
    assert "Demo data already present" in second.getvalue()


def test_seed_demo_shows_every_stage_after_the_award():
    call_command("seed_demo", stdout=StringIO())

    by_person = {
        grant.application.applicant.email.split("@")[0]: grant
        for grant in Grant.objects.select_related("application__applicant", "contribution_match")
    }
    items = {
        name: sorted(grant.procurement_items.values_list("status", flat=True)) for name, grant in by_person.items()
    }
    assert items == {
        "halyna": ["to_order"],
        "roman": ["ordered", "ordered"],
        "marta": ["delivered", "delivered"],
        "vasyl": ["delivered", "delivered"],
        "olha": ["handed_over", "handed_over"],
        "mykola": ["handed_over"],
    }
    assert list(
        ProcurementItem.objects.filter(overrun_status="pending").values_list(
            "grant__application__applicant__email", flat=True
        )
    ) == ["roman@example.org"]
    assert (
        by_person["vasyl"].contribution_match.shortfall_usd,
        by_person["marta"].contribution_match.shortfall_usd,
    ) == (Decimal("500.00"), Decimal("0.00"))
    assert list(
        MonitoringReport.objects.order_by("grant_id", "months_after").values_list(
            "grant__application__applicant__email", "status"
        )
    ) == [
        ("olha@example.org", "submitted"),
        ("olha@example.org", "due"),
        ("mykola@example.org", "due"),
        ("mykola@example.org", "due"),
    ]
    assert list(RetentionCase.objects.values_list("grant__application__applicant__email", "status")) == [
        ("mykola@example.org", "open")
    ]


def test_the_demo_defense_can_be_walked_today_by_a_panel_of_three_with_one_conflict():
    from django.utils import timezone

    from reviews.models import ConflictDeclaration, DefenseSession, DefenseSlot
    from reviews.sessions.services import outcome_open

    out = StringIO()
    call_command("seed_demo", stdout=out)

    session = DefenseSession.objects.get(call__title_en="1+1 individual grants, 2026")
    slot = DefenseSlot.objects.get(session=session)
    members = set(session.members.values_list("reviewer__email", flat=True))
    conflicted = ConflictDeclaration.objects.filter(application=slot.application, conflicted=True)
    assert members == {"reviewer@example.org", "reviewer2@example.org", "reviewer3@example.org"}
    assert list(conflicted.values_list("reviewer__email", flat=True)) == ["reviewer3@example.org"]
    assert session.call.rubric.min_independent_scores == len(members) - 1
    if timezone.localtime().hour < 21:  # late in the evening the session is tomorrow morning
        assert session.date == timezone.localdate()
        assert outcome_open(slot, session.chair)
    for email in members | {"officer@example.org", "approver@example.org", "oksana@example.org"}:
        assert email in out.getvalue()


def test_the_demo_2025_ranking_is_confirmed_and_shown_with_its_outcomes_after_the_approval():
    from applications.models import Call
    from reviews.ranking.confirmed import confirmed_ranking

    call_command("seed_demo", stdout=StringIO())

    confirmed = confirmed_ranking(Call.objects.get(title_en="1+1 individual grants, 2025"))

    assert confirmed.current is True
    assert [
        (line.application.first_name, str(line.entry.score), line.row.outcome, line.application.status)
        for line in confirmed.table.lines
    ] == [
        ("Галина", "9.00", "recommended", "approved"),
        ("Богдан", "8.00", "recommended", "recommended"),
        ("Степан", "7.00", "recommended", "recommended"),
        ("Леся", "6.00", "waitlisted", "waitlisted"),
    ]
