import itertools

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from applications.enums import ALLOWED_MOVES, MOVE_ACTORS, OWNER, ApplicationStatus
from applications.exceptions import InvalidTransition
from applications.models import Application, ApplicationStatusChange
from applications.services import application_move
from tests.factories import ApplicationFactory, UserFactory

S = ApplicationStatus
ALL_PAIRS = list(itertools.product(S.values, S.values))
ALLOWED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED_MOVES[a]]
REFUSED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_MOVES[a]]


REFERENCES = itertools.count(1)


def application_in(status: str) -> Application:
    """An application in this status; a draft already carries the reference the submit service gives."""
    return ApplicationFactory(status=status, reference=f"SM-2021-{next(REFERENCES):04d}")


def allowed_actor(application: Application, to: str):
    roles = MOVE_ACTORS[to]
    if OWNER in roles:
        return application.applicant
    return UserFactory(role=sorted(roles)[0])


def test_every_status_has_a_row_in_the_moves_table():
    assert set(ALLOWED_MOVES) == set(S.values)
    assert set(MOVE_ACTORS) == set(S.values)


def test_final_statuses_allow_no_move():
    assert [status for status, moves in ALLOWED_MOVES.items() if not moves] == [
        S.REJECTED,
        S.DECLINED,
        S.CLOSED,
        S.WITHDRAWN,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED_PAIRS)
def test_allowed_move_changes_status_and_records_who_when_and_why(from_status, to_status):
    application = application_in(from_status)
    actor = allowed_actor(application, to_status)

    change = application_move(application, to_status, actor=actor, note="checked")

    application.refresh_from_db()
    assert application.status == to_status
    assert list(
        ApplicationStatusChange.objects.filter(application=application).values_list(
            "from_status", "to_status", "actor", "note"
        )
    ) == [(from_status, to_status, actor.pk, "checked")]
    assert change.created_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), REFUSED_PAIRS)
def test_refused_move_raises_and_changes_nothing(from_status, to_status):
    application = application_in(from_status)
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)

    with pytest.raises(InvalidTransition):
        application_move(application, to_status, actor=officer)

    application.refresh_from_db()
    assert application.status == from_status
    assert ApplicationStatusChange.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status", "actor_role"),
    [
        (S.SUBMITTED, S.SHORTLISTED, Role.APPLICANT),
        (S.SUBMITTED, S.REJECTED, Role.APPROVER),
        (S.SUBMITTED, S.SHORTLISTED, Role.REVIEWER),
        (S.RECOMMENDED, S.APPROVED, Role.PROGRAMME_OFFICER),
        (S.DRAFT, S.SUBMITTED, Role.PROGRAMME_OFFICER),
        (S.SUBMITTED, S.WITHDRAWN, Role.APPLICANT),
    ],
)
def test_move_by_someone_not_entitled_is_refused(from_status, to_status, actor_role):
    application = application_in(from_status)
    outsider = UserFactory(role=actor_role)

    with pytest.raises(PermissionDenied):
        application_move(application, to_status, actor=outsider)

    application.refresh_from_db()
    assert application.status == from_status
