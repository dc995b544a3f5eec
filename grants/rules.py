"""Who may read decisions and letters. The services check who may make each decision; these are the reads."""

import rules

from accounts.roles import is_programme_staff
from applications.rules import is_owner


@rules.predicate
def is_letter_owner(user, letter) -> bool:
    """The applicant of the letter's application (applications.rules.is_owner)."""
    return letter is not None and is_owner(user, letter.application)


@rules.predicate
def is_ready_letter(user, letter) -> bool:
    return letter is not None and letter.is_ready


# A ready letter, to the applicant whose application it is (every version) or to programme staff (officers
# and approvers: every call's decisions and every ready letter).
rules.add_perm(
    "grants.download_letter", rules.is_authenticated & is_ready_letter & (is_letter_owner | is_programme_staff)
)
