"""Who may see, write, comment on and return business plans. The object is always the application."""

import rules

from accounts.roles import Role, has_role, is_programme_officer, is_programme_staff


@rules.predicate
def is_applicant_of(user, application) -> bool:
    return application is not None and application.applicant_id == user.pk


@rules.predicate
def is_consultant_of(user, application) -> bool:
    if application is None or not has_role(user, Role.CONSULTANT):
        return False
    from .models import ConsultantAssignment

    return ConsultantAssignment.objects.filter(application=application, consultant=user).exists()


@rules.predicate
def is_reviewer_cleared_for(user, application) -> bool:
    """On the application's panel and declared free of conflict (reviews decides)."""
    if application is None or not has_role(user, Role.REVIEWER):
        return False
    from reviews.selectors import reviewer_may_see_plan

    return reviewer_may_see_plan(user, application)


@rules.predicate
def is_consultant(user) -> bool:
    return has_role(user, Role.CONSULTANT)


rules.add_perm("plans.view_plan", is_applicant_of | is_programme_staff | is_consultant_of | is_reviewer_cleared_for)
rules.add_perm("plans.write_plan", is_applicant_of)
rules.add_perm("plans.consult", is_consultant_of)
rules.add_perm("plans.see_my_applicants", is_consultant)
rules.add_perm("plans.assign_consultants", is_programme_officer)
rules.add_perm("plans.return_plan", is_programme_officer)
