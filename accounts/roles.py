"""Roles are Django groups. Every role check in the code goes through this module.

Object-level rules (which application a user may see or change) are in the one access policy,
onepluone/policy.py, which builds on these predicates.
"""

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    CONSULTANT = "consultant", _("Consultant")
    REVIEWER = "reviewer", _("Reviewer")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    APPROVER = "approver", _("Approver")
    DONOR_AUDITOR = "donor_auditor", _("Donor / auditor")


STAFF_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.APPROVER})


def user_roles(user) -> frozenset[str]:
    """The user's role names, read once per request object and cached on it."""
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_onepluone_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._onepluone_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


@rules.predicate
def is_programme_officer(user) -> bool:
    return has_role(user, Role.PROGRAMME_OFFICER)


@rules.predicate
def is_approver(user) -> bool:
    return has_role(user, Role.APPROVER)


@rules.predicate
def is_applicant(user) -> bool:
    return has_role(user, Role.APPLICANT)


is_programme_staff = is_programme_officer | is_approver


def requires_second_factor(user) -> bool:
    """Every role but applicant works with other people's personal data: it signs in with a second
    factor (accounts.mfa). So does Django's staff and superuser flag, whatever the groups say."""
    if not user or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user_roles(user) - {Role.APPLICANT})
