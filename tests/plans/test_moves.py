"""A plan version's status changes only through `plan_version_move`, which writes its history;
`available_moves` says who may submit and who may return it."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from common.exceptions import InvalidMove
from plans import services
from plans.enums import PLAN_VERSION_MOVES, VersionStatus
from plans.models import PlanVersion, PlanVersionStatusChange
from plans.selectors import plan_page
from tests.factories import PlanVersionFactory, UserFactory, shortlisted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROGRAMME_OFFICER)


def complete_draft() -> PlanVersion:
    return PlanVersionFactory(plan__application=shortlisted_application(), complete=True)


def history(version: PlanVersion) -> list[tuple]:
    return [
        (change.from_status, change.to_status, change.actor, change.note)
        for change in PlanVersionStatusChange.objects.filter(version=version)
    ]


def test_the_table_names_every_status():
    assert set(PLAN_VERSION_MOVES.moves) == set(VersionStatus.values) == set(PLAN_VERSION_MOVES.actors)


def test_submitting_and_returning_write_who_from_to_and_the_note(officer):
    version = complete_draft()
    applicant = version.plan.application.applicant

    services.plan_submit(version=version, actor=applicant)
    draft = services.plan_return(version=version, actor=officer, note="Додайте третю комерційну пропозицію.")

    assert history(version) == [
        (VersionStatus.DRAFT, VersionStatus.SUBMITTED, applicant, ""),
        (VersionStatus.SUBMITTED, VersionStatus.RETURNED, officer, "Додайте третю комерційну пропозицію."),
    ]
    assert history(draft) == []


def test_returning_a_returned_version_is_refused_and_writes_nothing(officer):
    version = complete_draft()
    services.plan_submit(version=version, actor=version.plan.application.applicant)
    services.plan_return(version=version, actor=officer, note="Уточніть ціни.")

    with pytest.raises(InvalidMove, match="^Only a submitted plan can be returned for revision.$"):
        services.plan_return(version=version, actor=officer, note="Ще раз.")

    assert [change.to_status for change in PlanVersionStatusChange.objects.filter(version=version)] == [
        VersionStatus.SUBMITTED,
        VersionStatus.RETURNED,
    ]
    assert PlanVersion.objects.filter(plan=version.plan).count() == 2


def test_someone_else_cannot_submit_the_applicants_plan(officer):
    version = complete_draft()

    with pytest.raises(PermissionDenied):
        services.plan_version_move(version, VersionStatus.SUBMITTED, actor=officer)

    version.refresh_from_db()
    assert (version.status, history(version)) == (VersionStatus.DRAFT, [])


@pytest.mark.parametrize(
    ("submitted", "who", "moves"),
    [
        (False, "applicant", [VersionStatus.SUBMITTED]),
        (False, "officer", []),
        (False, "consultant", []),
        (True, "applicant", []),
        (True, "officer", [VersionStatus.RETURNED]),
        (True, "approver", []),
        (True, "consultant", []),
    ],
)
def test_available_moves_of_a_version_by_role(officer, submitted, who, moves):
    version = complete_draft()
    applicant = version.plan.application.applicant
    if submitted:
        version = services.plan_submit(version=version, actor=applicant)
    actors = {
        "applicant": applicant,
        "officer": officer,
        "approver": UserFactory(role=Role.APPROVER),
        "consultant": UserFactory(role=Role.CONSULTANT),
    }

    assert version.available_moves(actors[who]) == moves


@pytest.mark.parametrize(("who", "can_return"), [("officer", True), ("approver", False), ("applicant", False)])
def test_the_plan_page_offers_returning_to_who_may_return_it(officer, who, can_return):
    version = complete_draft()
    application = version.plan.application
    services.plan_submit(version=version, actor=application.applicant)
    application.refresh_from_db()
    viewer = {"officer": officer, "approver": UserFactory(role=Role.APPROVER), "applicant": application.applicant}[who]

    page = plan_page(viewer, application)

    assert (page.version.number, page.can_return, page.can_edit) == (1, can_return, False)
