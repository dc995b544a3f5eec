"""Who may see what in reviews: one place decides, from panel membership and declarations."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from plans.enums import VersionStatus
from plans.models import PlanVersion
from reviews.enums import ACTIVE_SLOTS, SheetStatus, SlotStatus
from reviews.models import (
    ConflictDeclaration,
    Criterion,
    CriterionScore,
    DefenseSession,
    DefenseSlot,
    PanelMember,
    Rubric,
    ScoreSheet,
)

from .rules import application_mean, disagreement


def is_panel_member_for(reviewer, application: Application) -> bool:
    """On the panel of a session, not cancelled, where the application has (or had) its defense."""
    return DefenseSlot.objects.filter(
        application=application,
        status__in=ACTIVE_SLOTS,
        session__members__reviewer=reviewer,
        session__cancelled_at__isnull=True,
    ).exists()


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


# The reviewer's and the chair's pages ---------------------------------------------------------------


class ReviewState(models.TextChoices):
    """Where one panel member stands on one application, from their declaration and score sheet."""

    UNDECLARED = "undeclared", _("No declaration")
    CONFLICT = "conflict", _("Recused")
    CLEARED = "cleared", _("No conflict, not scored yet")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


def _state(declaration: ConflictDeclaration | None, sheet: ScoreSheet | None) -> ReviewState:
    if declaration is None:
        return ReviewState.UNDECLARED
    if declaration.conflicted:
        return ReviewState.CONFLICT
    if sheet is None:
        return ReviewState.CLEARED
    return ReviewState.SUBMITTED if sheet.status == SheetStatus.SUBMITTED else ReviewState.DRAFT


def _latest_declarations(declarations) -> dict[tuple[int, int], ConflictDeclaration]:
    """The declaration in force per (application id, reviewer id), from rows ordered oldest first."""
    return {(row.application_id, row.reviewer_id): row for row in declarations}


@dataclass(frozen=True)
class ReviewerRow:
    slot: DefenseSlot
    state: ReviewState | None  # None where the user only chairs the session, or the slot is not active


@dataclass(frozen=True)
class ReviewerSession:
    session: DefenseSession
    is_chair: bool
    is_member: bool
    rows: list[ReviewerRow] = field(default_factory=list)


def sessions_of_reviewer(user) -> list[ReviewerSession]:
    """The sessions the user sits on as a member or chairs, not cancelled, with their slots (cancelled
    ones left out) and the user's own state on each application: four queries whatever the number."""
    sessions = list(
        DefenseSession.objects.filter(Q(chair=user) | Q(members__reviewer=user), cancelled_at__isnull=True)
        .distinct()
        .select_related("call")
        .annotate(is_member=Exists(PanelMember.objects.filter(session=OuterRef("pk"), reviewer=user)))
        .order_by("date", "starts_at", "pk")
    )
    if not sessions:
        return []
    slots = list(
        DefenseSlot.objects.filter(session__in=[s.pk for s in sessions])
        .exclude(status=SlotStatus.CANCELLED)
        .select_related("application")
        .order_by("starts_at", "pk")
    )
    application_ids = {slot.application_id for slot in slots}
    declarations = _latest_declarations(
        ConflictDeclaration.objects.filter(reviewer=user, application_id__in=application_ids).order_by(
            "declared_at", "pk"
        )
    )
    sheets = {
        sheet.application_id: sheet
        for sheet in ScoreSheet.objects.filter(reviewer=user, application_id__in=application_ids).only(
            "pk", "application_id", "reviewer_id", "status"
        )
    }
    by_session: dict[int, list[ReviewerRow]] = {session.pk: [] for session in sessions}
    members_of = {session.pk for session in sessions if session.is_member}
    for slot in slots:
        state = None
        if slot.session_id in members_of and slot.status in ACTIVE_SLOTS:
            state = _state(declarations.get((slot.application_id, user.pk)), sheets.get(slot.application_id))
        by_session[slot.session_id].append(ReviewerRow(slot=slot, state=state))
    return [
        ReviewerSession(
            session=session,
            is_chair=session.chair_id == user.pk,
            is_member=session.is_member,
            rows=by_session[session.pk],
        )
        for session in sessions
    ]


def declarations_of(reviewer, application: Application) -> list[ConflictDeclaration]:
    """The reviewer's own declarations on the application, oldest first; the last is in force."""
    return list(
        ConflictDeclaration.objects.filter(application=application, reviewer=reviewer).order_by("declared_at", "pk")
    )


def criteria_of(application: Application) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__call_id=application.call_id).order_by("position", "pk"))


def own_sheet(reviewer, application: Application) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(application=application, reviewer=reviewer)
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.order_by("criterion__position", "pk")))
        .first()
    )


def plan_for_reviewer(application: Application):
    """The latest version the applicant submitted, with its lines; None when there is none yet."""
    return (
        PlanVersion.objects.filter(plan__application=application)
        .exclude(status=VersionStatus.DRAFT)
        .prefetch_related("equipment_lines", "contribution_lines")
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class MemberProgress:
    reviewer: Any
    state: ReviewState
    declaration: ConflictDeclaration | None
    sheet: ScoreSheet | None
    can_reopen: bool = False  # the viewer may send this member's submitted sheet back as a draft


@dataclass(frozen=True)
class ApplicationProgress:
    slot: DefenseSlot
    members: list[MemberProgress]
    submitted: int
    needed: int
    mean: Decimal | None
    disagreement: bool
    recused: bool = False  # the viewer declared a conflict on it: no colleague's sheet, score or mean shown

    @property
    def enough(self) -> bool:
        return self.submitted >= self.needed


def chair_progress(session: DefenseSession, viewer=None) -> tuple[Rubric | None, list[ApplicationProgress]]:
    """Per active slot of the session and per panel member: the member's state, and the application's
    submitted sheets counted, averaged and checked for disagreement against the call's rubric. Sheets of
    members who have since declared a conflict are not counted. Five queries whatever the size.

    With a `viewer`, each counted sheet says whether the viewer may reopen it (`ScoreSheet.available_moves`;
    the chair of this session chairs every application in it, so no query is added). Where the viewer
    declared a conflict of interest on an application, its row shows only who has declared and submitted:
    no sheet, score, mean or disagreement, and nothing to reopen."""
    chairs = viewer is not None and viewer.pk == session.chair_id
    rubric = Rubric.objects.filter(call_id=session.call_id).first()
    needed = rubric.min_independent_scores if rubric else Rubric._meta.get_field("min_independent_scores").default
    threshold = rubric.disagreement_threshold if rubric else Rubric._meta.get_field("disagreement_threshold").default
    members = list(
        PanelMember.objects.filter(session=session)
        .select_related("reviewer")
        .order_by("reviewer__last_name", "reviewer__first_name", "pk")
    )
    slots = list(
        DefenseSlot.objects.filter(session=session, status__in=ACTIVE_SLOTS)
        .select_related("application")
        .order_by("starts_at", "pk")
    )
    application_ids = [slot.application_id for slot in slots]
    reviewer_ids = [member.reviewer_id for member in members]
    declarations = _latest_declarations(
        ConflictDeclaration.objects.filter(application_id__in=application_ids, reviewer_id__in=reviewer_ids).order_by(
            "declared_at", "pk"
        )
    )
    sheets = {
        (sheet.application_id, sheet.reviewer_id): sheet
        for sheet in ScoreSheet.objects.filter(application_id__in=application_ids, reviewer_id__in=reviewer_ids)
    }
    progress = []
    for slot in slots:
        own = declarations.get((slot.application_id, viewer.pk)) if viewer is not None else None
        recused = own is not None and own.conflicted
        rows = []
        for member in members:
            key = (slot.application_id, member.reviewer_id)
            declaration, sheet = declarations.get(key), sheets.get(key)
            state = _state(declaration, sheet)
            can_reopen = (
                not recused
                and viewer is not None
                and state == ReviewState.SUBMITTED
                and SheetStatus.DRAFT in sheet.available_moves(viewer, chairs=chairs)
            )
            rows.append(MemberProgress(member.reviewer, state, declaration, sheet, can_reopen))
        means = [row.sheet.weighted_mean for row in rows if row.state == ReviewState.SUBMITTED]
        if recused:
            rows = [MemberProgress(row.reviewer, row.state, row.declaration, None) for row in rows]
        progress.append(
            ApplicationProgress(
                slot=slot,
                members=rows,
                submitted=len(means),
                needed=needed,
                mean=None if recused else application_mean(means),
                disagreement=False if recused else disagreement(means, threshold),
                recused=recused,
            )
        )
    return rubric, progress


@dataclass(frozen=True)
class ReviewerSheetPage:
    """The reviewer's page of one application: the plan, the rubric, their own sheet and, once they have
    submitted, the other reviewers' submitted sheets."""

    criteria: list[Criterion]
    sheet: ScoreSheet | None
    version: PlanVersion | None
    can_score: bool
    peers: list[ScoreSheet]

    @property
    def submitted(self) -> bool:
        return not self.can_score

    def own_rows(self) -> list[tuple[Criterion, CriterionScore | None]]:
        return self._rows(self.sheet)

    def peer_rows(self) -> list[tuple[ScoreSheet, list[tuple[Criterion, CriterionScore | None]]]]:
        return [(peer, self._rows(peer)) for peer in self.peers]

    def _rows(self, sheet: ScoreSheet | None) -> list[tuple[Criterion, CriterionScore | None]]:
        """Each criterion of the rubric with the sheet's score for it (None where it has none)."""
        scores = {row.criterion_id: row for row in sheet.scores.all()} if sheet else {}
        return [(criterion, scores.get(criterion.pk)) for criterion in self.criteria]


def reviewer_sheet_page(reviewer, application: Application) -> ReviewerSheetPage:
    sheet = own_sheet(reviewer, application)
    # No sheet yet: the first save makes a draft, which its reviewer may submit.
    can_score = sheet is None or SheetStatus.SUBMITTED in sheet.available_moves(reviewer)
    return ReviewerSheetPage(
        criteria=criteria_of(application),
        sheet=sheet,
        version=plan_for_reviewer(application),
        can_score=can_score,
        peers=[] if can_score else list(peer_sheets_visible_to(reviewer, application)),
    )
