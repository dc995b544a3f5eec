"""Every write of a reviewer: conflict-of-interest declarations and score sheets.

A sheet's status changes only in `score_sheet_move` (the table is `reviews.enums.SHEET_MOVES`): the
reviewer submits it, the chair reopens it, and each move writes a `ScoreSheetEvent`."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.exceptions import ActorNotAllowed
from applications.models import Application
from common.moves import assign
from reviews.enums import SHEET_MOVES, SheetAction, SheetStatus
from reviews.exceptions import InvalidSheetMove, ReviewError
from reviews.models import ConflictDeclaration, Criterion, CriterionScore, Rubric, ScoreSheet, ScoreSheetEvent

from .rules import CriterionSpec, weighted_mean
from .selectors import current_declaration, is_panel_member_for


@transaction.atomic
def conflict_declare(*, application: Application, reviewer, conflicted: bool, reason: str = "") -> ConflictDeclaration:
    """Record a declaration. A change of mind is a new row; the rows before it stay as they were. A declared
    conflict is final for the reviewer: only a programme officer clears it (`conflict_clear`)."""
    if not is_panel_member_for(reviewer, application):
        raise ActorNotAllowed(_("You are not on the panel for this application."))
    # Serialise the reviewer's declarations on this application, so two at once cannot undo a conflict.
    list(ConflictDeclaration.objects.select_for_update().filter(application=application, reviewer=reviewer))
    declaration = current_declaration(application, reviewer)
    if declaration is not None and declaration.conflicted:
        raise ActorNotAllowed(
            _("You declared a conflict of interest for this application; only a programme officer can clear it.")
        )
    if conflicted and not reason.strip():
        raise ReviewError(_("Say briefly why you have a conflict of interest."))
    return ConflictDeclaration.objects.create(
        application=application, reviewer=reviewer, conflicted=conflicted, reason=reason.strip()
    )


@transaction.atomic
def conflict_clear(*, declaration: ConflictDeclaration, officer, reason: str) -> ConflictDeclaration:
    """A programme officer clears a reviewer's declared conflict of interest, with a reason: a new row that
    names the officer (the declaration before it stays as it was). The reviewer may then read and score."""
    if not officer.has_perm("reviews.clear_conflict"):
        raise ActorNotAllowed(_("Only a programme officer can clear a conflict of interest."))
    if not reason.strip():
        raise ReviewError(_("Give the reason for clearing the conflict of interest."))
    list(
        ConflictDeclaration.objects.select_for_update().filter(
            application_id=declaration.application_id, reviewer_id=declaration.reviewer_id
        )
    )
    in_force = current_declaration(declaration.application, declaration.reviewer)
    if in_force is None or in_force.pk != declaration.pk or not in_force.conflicted:
        raise ReviewError(_("This conflict of interest is no longer in force."))
    return ConflictDeclaration.objects.create(
        application_id=declaration.application_id,
        reviewer_id=declaration.reviewer_id,
        conflicted=False,
        reason=reason.strip(),
        cleared_by=officer,
    )


def _ensure_may_score(application: Application, reviewer) -> None:
    if not is_panel_member_for(reviewer, application):
        raise ActorNotAllowed(_("You are not on the panel for this application."))
    declaration = current_declaration(application, reviewer)
    if declaration is None:
        raise ReviewError(_("Declare whether you have a conflict of interest before scoring."))
    if declaration.conflicted:
        raise ActorNotAllowed(_("You declared a conflict of interest for this application."))


def _criteria(application: Application) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__call_id=application.call_id))


def _validate(criterion: Criterion, score: Decimal | None) -> None:
    if score is None and not criterion.allows_na:
        raise ReviewError(_("“%(criterion)s” cannot be marked not applicable.") % {"criterion": criterion.name})
    if score is not None and not criterion.scale_min <= score <= criterion.scale_max:
        raise ReviewError(
            _("Score “%(criterion)s” from %(low)s to %(high)s.")
            % {"criterion": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max}
        )


@transaction.atomic
def score_save(*, application: Application, reviewer, scores: dict, comment: str = "") -> ScoreSheet:
    """Save a draft: `scores` maps criterion ids to (score or None for not applicable, comment);
    criteria left out stay as they were."""
    _ensure_may_score(application, reviewer)
    # Rubric edits lock the same row, so a first sheet and a rubric change never cross.
    Rubric.objects.select_for_update().filter(call_id=application.call_id).first()
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(application=application, reviewer=reviewer)
    if sheet.status == SheetStatus.SUBMITTED:
        raise ReviewError(_("You have submitted this score sheet; the chair can reopen it."))
    criteria = {criterion.pk: criterion for criterion in _criteria(application)}
    for criterion_id, (score, criterion_comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ReviewError(_("That criterion is not in this call's rubric."))
        _validate(criterion, score)
        CriterionScore.objects.update_or_create(
            sheet=sheet, criterion=criterion, defaults={"score": score, "comment": criterion_comment}
        )
    sheet.comment = comment
    sheet.save(update_fields=["comment", "updated_at"])
    return sheet


# What each move is called in the sheet's history, and why an actor the move table leaves out is refused.
SHEET_ACTIONS = {SheetStatus.SUBMITTED: SheetAction.SUBMITTED, SheetStatus.DRAFT: SheetAction.REOPENED}
MOVE_REFUSALS = {
    SheetStatus.SUBMITTED: gettext_lazy("Only the reviewer of a score sheet can submit it."),
    SheetStatus.DRAFT: gettext_lazy("Only the chair of the panel can reopen a score sheet."),
}


@transaction.atomic
def score_sheet_move(
    sheet: ScoreSheet, to: str, *, actor, note: str = "", fields: dict | None = None
) -> ScoreSheetEvent:
    """Move a sheet along `reviews.enums.SHEET_MOVES`, saving `fields` (the figures the move fixes, such as
    the weighted mean) with it. The only code that assigns `ScoreSheet.status`."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    SHEET_MOVES.check(sheet, to, actor, invalid=InvalidSheetMove, not_allowed=ActorNotAllowed, refusals=MOVE_REFUSALS)
    event = ScoreSheetEvent.objects.create(
        sheet=sheet, actor=actor, action=SHEET_ACTIONS[to], from_status=sheet.status, to_status=to, reason=note
    )
    sheet.status = to
    sheet.save(update_fields=["status", *assign(sheet, fields), "updated_at"])
    return event


@transaction.atomic
def score_submit(*, application: Application, reviewer) -> ScoreSheet:
    """Lock a complete sheet with its weighted mean (not-applicable criteria left out, never zero)."""
    _ensure_may_score(application, reviewer)
    sheet = ScoreSheet.objects.select_for_update().filter(application=application, reviewer=reviewer).first()
    if sheet is None or not SHEET_MOVES.allows(sheet.status, SheetStatus.SUBMITTED):
        raise InvalidSheetMove(SheetStatus.SUBMITTED, SheetStatus.SUBMITTED)
    criteria = _criteria(application)
    given = {row.criterion_id: row.score for row in sheet.scores.all()}
    missing = [c.name for c in criteria if c.pk not in given or (given[c.pk] is None and not c.allows_na)]
    if missing:
        raise ReviewError(_("Score every criterion first: %(criteria)s.") % {"criteria": ", ".join(missing)})
    specs = [CriterionSpec(str(c.pk), c.weight, c.scale_min, c.scale_max, c.allows_na) for c in criteria]
    mean = weighted_mean({str(c.pk): given[c.pk] for c in criteria}, specs)
    return score_sheet_move(
        sheet, SheetStatus.SUBMITTED, actor=reviewer, fields={"weighted_mean": mean, "submitted_at": timezone.now()}
    ).sheet


def score_reopen(*, sheet: ScoreSheet, chair, reason: str) -> ScoreSheet:
    """The chair sends a submitted sheet back to its reviewer as a draft; the reason goes in its history. A
    chair who declared a conflict on the application may not (ScoreSheet.move_capacities)."""
    if not reason.strip():
        raise ReviewError(_("Give the reason for reopening the score sheet."))
    return score_sheet_move(
        sheet, SheetStatus.DRAFT, actor=chair, note=reason.strip(), fields={"weighted_mean": None}
    ).sheet
