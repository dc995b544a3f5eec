"""The access policy: who may see and do what, in one place.

Every view and every file download asks a permission registered here (`user.has_perm(name, obj)`, or
`common.views.perm_required(name)`); the apps' own modules hold no access predicates. The module sits at
the top layer so that one predicate can look at the whole journey: an application's owner, its consultant,
the panels it is defended before and their declarations of conflict of interest.

Roles (groups) come from accounts.roles; object relationships from the apps' selectors. The moves of each
workflow (who may submit, reopen, confirm...) stay in the workflow's table of moves (`*_MOVES` / `*_ACTORS`),
which the services check; the permissions below are the gates to the pages and files.

`tests/onepluone/test_permission_matrix.py` requests every URL as every role and relationship against these
rules.
"""

import rules

from accounts.roles import Role, has_role, is_applicant, is_approver, is_programme_officer, is_programme_staff
from plans.models import ConsultantAssignment
from reviews.scoring.selectors import reviewer_may_see_plan

# --- Roles ---------------------------------------------------------------------------------------------


@rules.predicate
def is_consultant(user) -> bool:
    return has_role(user, Role.CONSULTANT)


@rules.predicate
def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWER)


@rules.predicate
def is_donor_auditor(user) -> bool:
    return has_role(user, Role.DONOR_AUDITOR)


# --- Relationships to an object --------------------------------------------------------------------------


def _applicant_id(obj) -> int | None:
    """The applicant whose object it is: an application, or anything that leads to one (a letter through
    `.application`, a grant through `.application`, a monitoring report through `.grant.application`)."""
    for path in ("applicant_id", "application.applicant_id", "grant.application.applicant_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


@rules.predicate
def is_owner(user, obj) -> bool:
    """The applicant of the application (or of the letter, grant or report that belongs to it)."""
    return obj is not None and user.is_authenticated and _applicant_id(obj) == user.pk


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.is_draft


@rules.predicate
def is_consultant_of(user, application) -> bool:
    """The consultant an officer assigned to this application."""
    if application is None or not has_role(user, Role.CONSULTANT):
        return False
    return ConsultantAssignment.objects.filter(application=application, consultant=user).exists()


@rules.predicate
def is_reviewer_cleared_for(user, application) -> bool:
    """On a panel (of a session not cancelled) where the application is defended, and declared free of
    conflict of interest (reviews.scoring.selectors)."""
    if application is None or not has_role(user, Role.REVIEWER):
        return False
    return reviewer_may_see_plan(user, application)


@rules.predicate
def is_ready_letter(user, letter) -> bool:
    return letter is not None and letter.is_ready


# --- Calls and applications -------------------------------------------------------------------------------

rules.add_perm("applications.apply", is_applicant)
rules.add_perm("applications.read_application", is_owner | is_programme_staff)
rules.add_perm("applications.edit_draft", is_owner & is_draft)
rules.add_perm("applications.screen", is_programme_officer)
rules.add_perm("applications.see_queue", is_programme_staff)
rules.add_perm("applications.manage_calls", is_programme_officer)
# The access log names staff and references, never an applicant's answers: officers and the donor's auditors.
rules.add_perm("applications.read_access_log", is_programme_officer | is_donor_auditor)

# --- Exchange rates ---------------------------------------------------------------------------------------

rules.add_perm("rates.manage_rates", is_programme_officer)
rules.add_perm("rates.view_rates", is_programme_staff)

# --- Business plans (the object is the application) --------------------------------------------------------
# Reviewers read only submitted versions (reviews.scoring.selectors.plan_for_reviewer); drafts stay with the
# author and the consultant (plans.selectors).

rules.add_perm("plans.view_plan", is_owner | is_programme_staff | is_consultant_of | is_reviewer_cleared_for)
rules.add_perm("plans.view_drafts", is_owner | is_consultant_of)


@rules.predicate
def may_see_version(user, version) -> bool:
    """A draft version (and its files) to its author and their consultant; a submitted one to whoever may
    see the plan."""
    if version is None:
        return False
    application = version.plan.application
    if version.is_draft:
        return user.has_perm("plans.view_drafts", application)
    return user.has_perm("plans.view_plan", application)


rules.add_perm("plans.view_version", may_see_version)
rules.add_perm("plans.write_plan", is_owner)
rules.add_perm("plans.consult", is_consultant_of)
rules.add_perm("plans.see_my_applicants", is_consultant)
rules.add_perm("plans.assign_consultants", is_programme_officer)
rules.add_perm("plans.return_plan", is_programme_officer)

# --- Reviews ----------------------------------------------------------------------------------------------

rules.add_perm("reviews.review", is_reviewer)
rules.add_perm("reviews.score", is_reviewer_cleared_for)
# Clearing a reviewer's declared conflict of interest (with a reason, audited): officers only.
rules.add_perm("reviews.clear_conflict", is_programme_officer)

# --- Decisions and letters --------------------------------------------------------------------------------

# A ready letter, to the applicant whose application it is (every version) or to programme staff.
rules.add_perm("grants.download_letter", rules.is_authenticated & is_ready_letter & (is_owner | is_programme_staff))

# --- Procurement, own contribution, handover (the object is a grant) --------------------------------------

rules.add_perm("procurement.see", is_programme_staff)
rules.add_perm("procurement.manage", is_programme_officer)
rules.add_perm("procurement.confirm", is_approver)
rules.add_perm("procurement.view_grant", is_owner | is_programme_staff)
rules.add_perm("procurement.prove_contribution", is_owner)

# --- Monitoring (grants and their reports) ------------------------------------------------------------------

rules.add_perm("monitoring.see", is_programme_staff)
rules.add_perm("monitoring.manage", is_programme_officer)
rules.add_perm("monitoring.decide_cases", is_approver)
rules.add_perm("monitoring.read_report", is_owner | is_programme_staff)
rules.add_perm("monitoring.write_report", is_owner)

# --- Reports for the donor ----------------------------------------------------------------------------------

rules.add_perm("reports.view_dashboard", is_donor_auditor | is_programme_staff)
rules.add_perm("reports.see_unsuppressed", is_programme_staff)
rules.add_perm("reports.export_pseudonymised", is_donor_auditor | is_programme_staff)
rules.add_perm("reports.export_full", is_programme_staff)

# --- Staff-only pages that are not an app's (the dashboard routes by role) -------------------------------------

rules.add_perm("accounts.staff_pages", is_programme_staff)
