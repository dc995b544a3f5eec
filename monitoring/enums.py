"""Statuses of monitoring reports and retention cases, their moves, and the bands reports use.

`monitoring.services.report_move` and `case_move` are the only code that assigns these statuses.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from procurement.enums import OWNER

OFFICER = Role.PROGRAMME_OFFICER
APPROVER = Role.APPROVER


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


RS = ReportStatus
REPORT_MOVES: dict[str, frozenset[str]] = {
    RS.DUE: frozenset({RS.SUBMITTED}),
    RS.SUBMITTED: frozenset({RS.ACCEPTED, RS.RETURNED}),
    RS.RETURNED: frozenset({RS.SUBMITTED}),
    RS.ACCEPTED: frozenset(),
}
REPORT_ACTORS: dict[str, frozenset[str]] = {
    RS.SUBMITTED: frozenset({OWNER}),
    RS.ACCEPTED: frozenset({OFFICER}),
    RS.RETURNED: frozenset({OFFICER}),
    RS.DUE: frozenset(),
}
# Reports the participant can still write in.
REPORT_EDITABLE = frozenset({RS.DUE, RS.RETURNED})


class AgeBand(models.TextChoices):
    """Age bands of the people in the jobs created; "young" is under 35, as in the business plan."""

    UNDER_35 = "under_35", _("under 35")
    FROM_35_TO_54 = "35_54", _("35–54")
    FROM_55 = "55_plus", _("55 and over")


class JobGender(models.TextChoices):
    WOMEN = "female", _("Women")
    MEN = "male", _("Men")


class RevenueBand(models.TextChoices):
    """Revenue since the handover, in hryvnias (the plan's projection is in UAH too). Bounds in
    `REVENUE_BAND_BOUNDS`, lower inclusive."""

    NONE = "none", _("No revenue yet")
    UNDER_100K = "under_100k", _("Under UAH 100,000")
    FROM_100K = "100k_500k", _("UAH 100,000–499,999")
    FROM_500K = "500k_1m", _("UAH 500,000–999,999")
    FROM_1M = "1m_5m", _("UAH 1–5 million")
    OVER_5M = "over_5m", _("Over UAH 5 million")


REVENUE_BAND_BOUNDS = (
    (RevenueBand.NONE, 0, 0),
    (RevenueBand.UNDER_100K, 0, 100_000),
    (RevenueBand.FROM_100K, 100_000, 500_000),
    (RevenueBand.FROM_500K, 500_000, 1_000_000),
    (RevenueBand.FROM_1M, 1_000_000, 5_000_000),
    (RevenueBand.OVER_5M, 5_000_000, None),
)


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("A week before the due date")
    DUE = "due", _("On the due date")
    OVERDUE = "overdue", _("Two weeks overdue")


class CaseStatus(models.TextChoices):
    """A retention case: the equipment left the business (or use) within the retention period."""

    OPEN = "open", pgettext_lazy("retention case", "Open")
    RECOVER = "recover", _("Recover the equipment")
    TRANSFER = "transfer", _("Transfer to another participant")
    WRITE_OFF = "write_off", _("Write off")
    DISMISSED = "dismissed", _("Dismissed: no breach")
    CLOSED = "closed", _("Closed: decision carried out")


CS = CaseStatus
CASE_MOVES: dict[str, frozenset[str]] = {
    CS.OPEN: frozenset({CS.RECOVER, CS.TRANSFER, CS.WRITE_OFF, CS.DISMISSED}),
    CS.RECOVER: frozenset({CS.CLOSED}),
    CS.TRANSFER: frozenset({CS.CLOSED}),
    CS.WRITE_OFF: frozenset(),
    CS.DISMISSED: frozenset(),
    CS.CLOSED: frozenset(),
}
CASE_ACTORS: dict[str, frozenset[str]] = {
    CS.RECOVER: frozenset({APPROVER}),
    CS.TRANSFER: frozenset({APPROVER}),
    CS.WRITE_OFF: frozenset({APPROVER}),
    CS.DISMISSED: frozenset({APPROVER}),
    CS.CLOSED: frozenset({OFFICER}),
    CS.OPEN: frozenset(),
}
CASE_DECISIONS = (CS.RECOVER, CS.TRANSFER, CS.WRITE_OFF, CS.DISMISSED)


# What the software writes as a retention case's finding (and the note of the case's opening), stored as a
# code and its parameters and worded in the reader's language (common.models.NotedChange). `note` is the
# participant's own words from their report, kept as written.
CASE_REASONS = {
    "visit_equipment_missing": _("Field visit of %(date)s: the equipment is not there."),
    "visit_equipment_unused": _("Field visit of %(date)s: the equipment is not in use."),
    "report_equipment_unused": _("Report %(months)s months after the handover: the equipment is not in use. %(note)s"),
}


class CaseSource(models.TextChoices):
    VISIT = "visit", _("Field visit")
    REPORT = "report", _("Monitoring report")
    OFFICER = "officer", _("Programme officer")


# The consent purpose under which a participant's photos and story may be used in reports. The consent
# notices published today cover selection, monitoring and donor reporting only; until a notice for this
# purpose is published, no story or photo is consented (monitoring.selectors.story_consented).
STORY_CONSENT_PURPOSE = "stories"
