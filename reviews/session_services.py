"""Writes about defense sessions themselves: their details and their panel.

Scheduling applications into a session's slots is in scheduling.py. A reviewer who has declared
or scored for an application defended in a session stays on its panel: removing them would leave a
declaration or a score sheet from someone the panel no longer shows, so the removal is refused.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role, has_role
from applications.exceptions import ActorNotAllowed

from .enums import SlotStatus
from .models import ConflictDeclaration, DefenseSession, DefenseSlot, PanelMember, ScoreSheet
from .scheduling import HOLDING, session_slots, slot_schedule
from .services import ReviewError


def _ensure_officer(actor) -> None:
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only a programme officer can set up defense sessions."))


def _ensure_reviewers(users) -> None:
    others = [user for user in users if not has_role(user, Role.REVIEWER)]
    if others:
        raise ReviewError(
            _("Only reviewers can sit on a panel; %(names)s is not a reviewer.")
            % {"names": ", ".join(sorted(str(user) for user in others))}
        )


def _ensure_details(session: DefenseSession) -> None:
    if session.ends_at <= session.starts_at:
        raise ReviewError(_("The session must end after it starts."))
    if not (session.venue.strip() or session.online_link.strip()):
        raise ReviewError(_("Give the venue, the online link, or both."))
    if session.pk is None:
        return
    times = set(session_slots(session))
    held = list(session.slots.filter(status__in=HOLDING).values_list("starts_at", flat=True))
    if len(held) > session.capacity or any(time not in times for time in held):
        raise ReviewError(
            ngettext(
                "%(count)d application already has its slot in this session; the new date, times, "
                "slot length or capacity would leave it without one. Move it first.",
                "%(count)d applications already have their slots in this session; the new date, times, "
                "slot length or capacity would leave some of them without one. Move them first.",
                len(held),
            )
            % {"count": len(held)}
        )


def _blocked_removals(session: DefenseSession, reviewer_ids: set[int]) -> list:
    """Reviewers among `reviewer_ids` who declared or scored for an application with a slot in the session."""
    in_session = {"application__defense_slots__session": session, "reviewer_id__in": reviewer_ids}
    declared = ConflictDeclaration.objects.filter(**in_session).values_list("reviewer_id", flat=True)
    scored = ScoreSheet.objects.filter(**in_session).values_list("reviewer_id", flat=True)
    blocked = set(declared) | set(scored)
    return sorted(
        (member.reviewer for member in session.members.select_related("reviewer") if member.reviewer_id in blocked),
        key=str,
    )


@transaction.atomic
def session_save(*, session: DefenseSession, members: Iterable, actor) -> DefenseSession:
    """Save the session and make its panel exactly `members` plus the chair."""
    _ensure_officer(actor)
    members = list(members)
    _ensure_reviewers([session.chair, *members])
    if session.pk is not None:
        DefenseSession.objects.select_for_update().get(pk=session.pk)
    _ensure_details(session)
    wanted = {user.pk for user in members} | {session.chair_id}
    current = set(session.members.values_list("reviewer_id", flat=True)) if session.pk else set()
    removed = current - wanted
    if removed:
        blocked = _blocked_removals(session, removed)
        if blocked:
            raise ReviewError(
                _(
                    "%(names)s cannot leave the panel: they have already declared a conflict of interest or "
                    "scored an application of this session."
                )
                % {"names": ", ".join(str(user) for user in blocked)}
            )
    session.save()
    PanelMember.objects.filter(session=session, reviewer_id__in=removed).delete()
    PanelMember.objects.bulk_create(PanelMember(session=session, reviewer_id=pk) for pk in sorted(wanted - current))
    return session


def panel_member_add(*, session: DefenseSession, reviewer, actor) -> PanelMember:
    """Add one reviewer to the panel, leaving everyone else on it."""
    if session.members.filter(reviewer=reviewer).exists():
        raise ReviewError(_("%(name)s is already on this panel.") % {"name": reviewer})
    current = [member.reviewer for member in session.members.select_related("reviewer")]
    session_save(session=session, members=[*current, reviewer], actor=actor)
    return session.members.get(reviewer=reviewer)


@transaction.atomic
def slot_move(*, slot: DefenseSlot, session: DefenseSession, starts_at: datetime, actor) -> DefenseSlot:
    """Move a scheduled slot's application to another free time, in this session or another of the
    call: the old slot is cancelled and the new one invited (slot_schedule does both)."""
    slot = DefenseSlot.objects.select_for_update().select_related("application").get(pk=slot.pk)
    if slot.status != SlotStatus.SCHEDULED:
        raise ReviewError(
            _("Only a scheduled slot can be moved; this one is “%(status)s”.") % {"status": slot.get_status_display()}
        )
    return slot_schedule(session=session, application=slot.application, starts_at=starts_at, actor=actor)
