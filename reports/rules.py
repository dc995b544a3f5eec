"""Who sees the reports: the donor/auditor the dashboards (small counts hidden) and the pseudonymised
exports only; programme officers and approvers every figure and the full exports too."""

import rules

from accounts.roles import Role, has_role, is_programme_staff


@rules.predicate
def is_donor_auditor(user) -> bool:
    return has_role(user, Role.DONOR_AUDITOR)


rules.add_perm("reports.view_dashboard", is_donor_auditor | is_programme_staff)
rules.add_perm("reports.see_unsuppressed", is_programme_staff)
rules.add_perm("reports.export_pseudonymised", is_donor_auditor | is_programme_staff)
rules.add_perm("reports.export_full", is_programme_staff)
