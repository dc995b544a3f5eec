"""Who may see what in reviews: one place decides, from panel membership and declarations."""

from django.db.models import QuerySet

from applications.models import Application

from .enums import SheetStatus, SlotStatus
from .models import ConflictDeclaration, DefenseSlot, ScoreSheet

ACTIVE_SLOTS = (SlotStatus.SCHEDULED, SlotStatus.DEFENDED)


def is_panel_member_for(reviewer, application: Application) -> bool:
    """On the panel of a session where the application has (or had) its defense."""
    return DefenseSlot.objects.filter(
        application=application, status__in=ACTIVE_SLOTS, session__members__reviewer=reviewer
    ).exists()


def is_chair_for(user, application: Application) -> bool:
    return DefenseSlot.objects.filter(application=application, status__in=ACTIVE_SLOTS, session__chair=user).exists()


def current_declaration(application: Application, reviewer) -> ConflictDeclaration | None:
    return (
        ConflictDeclaration.objects.filter(application=application, reviewer=reviewer)
        .order_by("-declared_at", "-pk")
        .first()
    )


def reviewer_may_see_plan(reviewer, application: Application) -> bool:
    """Assigned to the panel and declared free of conflict: then the plan, the score form and scores."""
    if not is_panel_member_for(reviewer, application):
        return False
    declaration = current_declaration(application, reviewer)
    return declaration is not None and not declaration.conflicted


def peer_sheets_visible_to(reviewer, application: Application) -> QuerySet[ScoreSheet]:
    """Other reviewers' submitted sheets, visible only once the reviewer has submitted their own."""
    own_submitted = ScoreSheet.objects.filter(
        application=application, reviewer=reviewer, status=SheetStatus.SUBMITTED
    ).exists()
    if not own_submitted or not reviewer_may_see_plan(reviewer, application):
        return ScoreSheet.objects.none()
    return (
        ScoreSheet.objects.filter(application=application, status=SheetStatus.SUBMITTED)
        .exclude(reviewer=reviewer)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )
