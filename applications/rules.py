"""Who may see and change calls and applications: the one place for object-level access rules."""

import rules

from accounts.roles import Role, has_role, is_applicant, is_programme_officer, is_programme_staff


@rules.predicate
def is_owner(user, application) -> bool:
    return application is not None and application.applicant_id == user.pk


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.is_draft


@rules.predicate
def is_donor_auditor(user) -> bool:
    return has_role(user, Role.DONOR_AUDITOR)


rules.add_perm("applications.read_application", is_owner | is_programme_staff)
rules.add_perm("applications.edit_draft", is_owner & is_draft)
rules.add_perm("applications.apply", is_applicant)
rules.add_perm("applications.screen", is_programme_officer)
rules.add_perm("applications.see_queue", is_programme_staff)
rules.add_perm("applications.manage_calls", is_programme_officer)
# The access log names staff and references, never an applicant's answers: officers and the donor's auditors.
rules.add_perm("applications.read_access_log", is_programme_officer | is_donor_auditor)
