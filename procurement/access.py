"""Who may make a move of an after-award workflow (procurement and monitoring share it)."""

from accounts.roles import has_role

from .enums import OWNER


def actor_may(actor, *, owner_id: int, allowed: frozenset[str]) -> bool:
    """Whether the actor may make a move that `allowed` permits: roles, and OWNER for the participant whose
    grant it is (`owner_id`)."""
    if OWNER in allowed and actor.pk == owner_id:
        return True
    return has_role(actor, *(role for role in allowed if role != OWNER))
