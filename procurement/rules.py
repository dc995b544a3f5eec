"""Who may see and do what in procurement, the own contribution and the handover. The object is a grant."""

import rules

from accounts.roles import is_approver, is_programme_officer, is_programme_staff


@rules.predicate
def is_grant_owner(user, grant) -> bool:
    return grant is not None and grant.application.applicant_id == user.pk


rules.add_perm("procurement.see", is_programme_staff)
rules.add_perm("procurement.manage", is_programme_officer)
rules.add_perm("procurement.confirm", is_approver)
rules.add_perm("procurement.view_grant", is_grant_owner | is_programme_staff)
rules.add_perm("procurement.prove_contribution", is_grant_owner)
