"""Who may see, write, comment on and return business plans. The object is always the application.

Reviewers may read the plans of their panels too: reviews/rules.py extends `plans.view_plan`, since only
reviews knows panels and conflict-of-interest declarations (it sits above plans).
"""

import rules

from accounts.roles import Role, has_role, is_programme_officer, is_programme_staff
from applications.rules import is_owner

from .models import ConsultantAssignment


@rules.predicate
def is_consultant_of(user, application) -> bool:
    if application is None or not has_role(user, Role.CONSULTANT):
        return False
    return ConsultantAssignment.objects.filter(application=application, consultant=user).exists()


@rules.predicate
def is_consultant(user) -> bool:
    return has_role(user, Role.CONSULTANT)


rules.add_perm("plans.view_plan", is_owner | is_programme_staff | is_consultant_of)
rules.add_perm("plans.write_plan", is_owner)
rules.add_perm("plans.consult", is_consultant_of)
rules.add_perm("plans.see_my_applicants", is_consultant)
rules.add_perm("plans.assign_consultants", is_programme_officer)
rules.add_perm("plans.return_plan", is_programme_officer)
