"""Confirming a call's ranking, and auditing its exports.

**Two confirmations.** A programme officer confirms as "officer"; a user who chairs one of the call's defense
sessions (not cancelled) confirms as "chair"; an officer who also chairs confirms as officer. Anyone else is
refused. Each confirmation stores the ranked rows it confirmed (reference, score, outcome, running total).

**The same ranking.** The newest confirmation of each role is the one in force, and it counts only while its
rows equal the ranking as it stands now: if a score, a plan or the budget changed the ranking after the
first confirmation, that confirmation is void and must be redone, by its role, on the new ranking.

**The moves.** When a confirmation completes the pair (the other role's confirmation in force has the same
rows), every ranked application whose outcome is recommended or waitlisted is moved there through
`application_move`, with the officer of the pair as actor (only programme officers may make those moves).
Below-threshold applications are not moved: they stay where they are (defended; there is no move back from
recommended or waitlisted either), and the page reports them from the confirmation's rows, for the approver
to decline. Applications already where their outcome puts
them are left alone, so confirming again is harmless.

**Refusals.** Confirming is refused while a defended application has fewer submitted, non-conflicted score
sheets than the rubric's `min_independent_scores` (the message names them), or when there is nothing to rank.
The call's row is locked for the duration, so two confirmations cannot cross.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.audit.services import access_log_many
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application, Call
from applications.services import application_move
from reviews.exceptions import ReviewError
from reviews.models import ConfirmationRole, RankingConfirmation

from .models import RankedApplication, RankingChange, RankingState
from .rank import Outcome
from .selectors import CallRanking, call_ranking_table, confirmation_role

S = ApplicationStatus
OUTCOME_STATUS = {Outcome.RECOMMENDED: S.RECOMMENDED, Outcome.WAITLISTED: S.WAITLISTED}


@transaction.atomic
def ranking_confirm(*, call: Call, actor) -> RankingConfirmation:
    """Record `actor`'s confirmation of the ranking; the second of a matching pair moves the applications."""
    role = confirmation_role(actor, call)
    if role is None:
        raise ActorNotAllowed(_("Only a programme officer or a chair of the call's defense sessions can confirm."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    ranking = call_ranking_table(call)
    if not ranking.lines:
        raise ReviewError(_("There are no defended applications to rank in this call."))
    short = ranking.short_panels()
    if short:
        raise ReviewError(
            _("These applications have fewer than %(count)s independent scores: %(references)s.")
            % {
                "count": ranking.rubric.min_independent_scores,
                "references": ", ".join(line.entry.reference for line in short),
            }
        )
    snapshot = ranking.snapshot()
    confirmation = RankingConfirmation.objects.create(call=call, role=role, confirmed_by=actor, snapshot=snapshot)
    other_role = ConfirmationRole.CHAIR if role == ConfirmationRole.OFFICER else ConfirmationRole.OFFICER
    other = (
        RankingConfirmation.objects.filter(call=call, role=other_role)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if other is not None and other.snapshot == snapshot:
        officer = actor if role == ConfirmationRole.OFFICER else other.confirmed_by
        _apply(ranking, officer=officer)
        confirmation.applied_at = timezone.now()
        confirmation.save(update_fields=["applied_at"])
    return confirmation


def _apply(ranking: CallRanking, *, officer) -> None:
    for line in ranking.lines:
        to = OUTCOME_STATUS.get(line.row.outcome)
        if to is None or line.application.status == to:
            continue
        application_move(
            line.application,
            to,
            actor=officer,
            note_code="ranking_confirmed",
            note_params={"position": line.row.position},
        )


def ranking_store(*, call_id: int, change_id: int | None = None) -> RankingState | None:
    """Store the call's ranking as `call_ranking_table` computes it now, unless the stored one is fresh, or
    `change_id` (the change that queued this) is already counted. None when the call is gone.

    The call's state row is locked while computing, so two recomputations never interleave. The change rows
    are read first and only those are deleted at the end: a change committed meanwhile (which the
    computation may have missed) keeps its row, so the stored rows stay stale and its own task comes next.
    Nothing else is locked (reviews.ranking.receivers says why that matters)."""
    with transaction.atomic():
        call = Call.objects.filter(pk=call_id).first()
        if call is None:
            return None
        RankingState.objects.get_or_create(call=call)
        state = RankingState.objects.select_for_update().get(call=call)
        pending = list(RankingChange.objects.filter(call_id=call_id).values_list("pk", flat=True))
        if state.computed_at is not None and (not pending or (change_id is not None and change_id not in pending)):
            return state
        table = call_ranking_table(call)
        RankedApplication.objects.filter(call=call).delete()
        RankedApplication.objects.bulk_create(
            (
                RankedApplication(
                    call=call,
                    application=line.application,
                    position=line.row.position,
                    score=line.entry.score,
                    outcome=str(line.row.outcome),
                    running_total=line.row.running_total,
                    grant=line.entry.grant,
                    priority=line.entry.priority,
                    own_contribution_ratio=line.entry.own_contribution_ratio,
                    plan_submitted_at=line.plan_submitted_at,
                    reviewer_means=[str(mean) for mean in line.reviewer_means],
                    criterion_means={
                        str(pk): None if mean is None else str(mean) for pk, mean in line.criterion_means.items()
                    },
                    disagreement=line.disagreement,
                    independent_scores=line.independent_scores,
                )
                for line in table.lines
            ),
            batch_size=1000,
        )
        RankingChange.objects.filter(pk__in=pending).delete()
        state.computed_at = timezone.now()
        state.committed = table.committed
        state.snapshot = table.snapshot()
        state.save()
    return state


def ranking_export_log(*, user, applications: Iterable[Application], action: str, reason: str) -> None:
    """Audit an export of the ranking: one access row per application whose name it carries."""
    access_log_many(user=user, applications=applications, action=action, reason=reason)
