"""A workflow's move table: which statuses each status may become, and who may make each move.

Every workflow with a status field (applications, defense slots, plan versions, score sheets, letters)
declares one `MoveTable` in its app's `enums.py`. Its one `<thing>_move` service checks a move against
the table before it saves, and the model's `available_moves(actor)` reads the same table, so a page
shows exactly the buttons its user may press.

Who may make a move is named by the status the move arrives at, as a set of *capacities*: role names
(`accounts.roles.Role`) and relations between the actor and the object that the model works out
(`OWNER`, `CHAIR`), or `SYSTEM` for work a task does on nobody's behalf. `common` sits below `accounts`,
so the table takes capacities, never users.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# Relations an actor may have to the object that moves, beside their roles.
OWNER = "owner"  # the applicant of the application or plan; the reviewer of a score sheet
CHAIR = "chair"  # the chair of the defense session the object belongs to
# The actor of a move that a task makes for nobody in particular (the history row's actor is None).
SYSTEM = "system"
NOT_ALLOWED = gettext_lazy("You may not make this change.")


@dataclass(frozen=True)
class MoveTable:
    """`moves`: status → the statuses it may become; `actors`: status moved to → the capacities allowed."""

    statuses: type  # the workflow's TextChoices, in the order pages list the moves
    moves: Mapping[str, frozenset[str]]
    actors: Mapping[str, frozenset[str]]

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.moves.get(from_status, frozenset())

    def may_make(self, to_status: str, capacities: Iterable[str]) -> bool:
        return not self.actors.get(to_status, frozenset()).isdisjoint(capacities)

    def check(
        self,
        obj,
        to_status: str,
        actor,
        *,
        invalid: type[Exception],
        not_allowed: type[Exception],
        refusals: Mapping[str, str] | None = None,
    ) -> None:
        """What every move service checks first: `invalid(from, to)` when the table has no such move, and
        `not_allowed(message)` when the actor's capacities (`obj.move_capacities(actor)`) are not among those
        allowed, the message being the workflow's `refusals` for that status or NOT_ALLOWED."""
        if not self.allows(obj.status, to_status):
            raise invalid(obj.status, to_status)
        if not self.may_make(to_status, obj.move_capacities(actor)):
            raise not_allowed(str((refusals or {}).get(to_status, NOT_ALLOWED)))

    def available(self, from_status: str, capacities: Iterable[str]) -> list[str]:
        """The moves out of `from_status` that an actor with these capacities may make, in enum order."""
        capacities = frozenset(capacities)
        return [
            status
            for status in self.statuses.values
            if self.allows(from_status, status) and self.may_make(status, capacities)
        ]


def assign(obj, fields: Mapping[str, object] | None) -> list[str]:
    """Set what a move stamps on the object beside its status (figures, dates, who); returns the field
    names for `save(update_fields=...)`. The status itself is assigned by the move service."""
    fields = fields or {}
    if "status" in fields:
        raise ValueError("The move service assigns the status.")
    for name, value in fields.items():
        setattr(obj, name, value)
    return list(fields)
