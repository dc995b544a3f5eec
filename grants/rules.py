"""Who may read decisions and letters. The services check who may make each decision; these are the reads."""

import rules

from accounts.roles import Role, has_role


@rules.predicate
def is_letter_staff(user) -> bool:
    """Programme officers and approvers: every call's decisions and every ready letter."""
    return has_role(user, Role.PROGRAMME_OFFICER, Role.APPROVER)


@rules.predicate
def is_letter_owner(user, letter) -> bool:
    return letter is not None and letter.application.applicant_id == user.pk


@rules.predicate
def is_ready_letter(user, letter) -> bool:
    return letter is not None and letter.is_ready


# A ready letter, to the applicant whose application it is (every version) or to programme staff.
rules.add_perm("grants.download_letter", rules.is_authenticated & is_ready_letter & (is_letter_owner | is_letter_staff))
