"""Who may see and keep the official exchange rates."""

import rules

from accounts.roles import is_programme_officer, is_programme_staff

rules.add_perm("rates.manage_rates", is_programme_officer)
rules.add_perm("rates.view_rates", is_programme_staff)
