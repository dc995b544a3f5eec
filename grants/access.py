"""Who may read decisions and letters. The services check who may make each decision; these are the reads."""

from accounts.roles import Role, has_role

from .models import Letter


def is_letter_staff(user) -> bool:
    """Programme officers and approvers: every call's decisions and every ready letter."""
    return has_role(user, Role.PROGRAMME_OFFICER, Role.APPROVER)


def can_download_letter(user, letter: Letter) -> bool:
    """A ready letter, to the applicant whose application it is (every version) or to programme staff."""
    if not user.is_authenticated or not letter.is_ready:
        return False
    return letter.application.applicant_id == user.pk or is_letter_staff(user)
