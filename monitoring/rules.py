"""Who may see and do what in monitoring. The objects are grants and reports."""

import rules

from accounts.roles import is_approver, is_programme_officer, is_programme_staff


@rules.predicate
def is_report_author(user, report) -> bool:
    return report is not None and report.grant.application.applicant_id == user.pk


rules.add_perm("monitoring.see", is_programme_staff)
rules.add_perm("monitoring.manage", is_programme_officer)
rules.add_perm("monitoring.decide_cases", is_approver)
rules.add_perm("monitoring.read_report", is_report_author | is_programme_staff)
rules.add_perm("monitoring.write_report", is_report_author)
