"""Who may see what in reviews, as django-rules permissions; reviews.scoring.selectors decides from panel
membership and declarations.

A reviewer on the application's panel who declared no conflict may read its business plan: this module
extends plans' `plans.view_plan` (plans sits below reviews and cannot know panels). Django loads the
apps' rules modules in INSTALLED_APPS order, plans before reviews.
"""

import rules
from rules.permissions import permissions

from accounts.roles import Role, has_role

from .scoring.selectors import reviewer_may_see_plan


@rules.predicate
def is_reviewer_cleared_for(user, application) -> bool:
    """On the application's panel and declared free of conflict."""
    if application is None or not has_role(user, Role.REVIEWER):
        return False
    return reviewer_may_see_plan(user, application)


rules.set_perm("plans.view_plan", permissions["plans.view_plan"] | is_reviewer_cleared_for)
