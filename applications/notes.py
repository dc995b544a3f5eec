"""Notes the system writes on a status change, stored as a code and parameters and worded when read.

A person's note (an officer's reason, an applicant's words) is stored as they typed it, in `note`. A
note the software writes ("Invited to the defense session of 12.03.2026 10:00.") is stored as
`note_code` and `note_params` instead, so that a reader of /en/ and a reader of /uk/, and the applicant's
email, each get it in their own language. Parameters are language-neutral: dates as the programme
writes them, amounts as decimal strings, a reason as its code. A later app that writes a reason
registers its labels (`note_labels_register`), since this app may not import the apps above it.
Rows written before codes existed keep their text in `note` and read as before.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from common.money import format_usd

NOTES = {
    "invited_to_session": _("Invited to the defense session of %(session)s."),
    "defended_at_session": _("Defended at the session of %(session)s."),
    "ranking_confirmed": _("Ranking confirmed by the chair and the programme officer: position %(position)s."),
    "grant_approved": _("Grant %(number)s approved: %(grant)s."),
    "award_letter_issued": _("Award letter %(number)s issued."),
    "promoted_from_waiting_list": _("Promoted from the waiting list."),
    "declined_for_reason": "%(reason)s",  # the reason's label says it all
    "act_signed": _("Handover act %(number)s signed."),
    "last_report_accepted": _("The last monitoring report was accepted."),
}
# note code -> {reason code: lazy label}, filled by the app that owns the reasons (grants.apps).
_LABELS: dict[str, dict] = {}


def note_labels_register(code: str, labels: dict) -> None:
    _LABELS[code] = dict(labels)


def _worded(code: str, params: dict) -> dict:
    """The parameters as the reader reads them: amounts formatted, reasons translated."""
    worded = dict(params)
    if code == "grant_approved":
        worded["grant"] = format_usd(Decimal(params["grant"]))
    if code in _LABELS and "reason" in params:
        worded["reason"] = str(_LABELS[code].get(params["reason"], params["reason"]))
    return worded


def note_render(code: str, params: dict) -> str:
    """The note in the active language; an unknown code (a later release's) reads as the code itself."""
    template = NOTES.get(code)
    if template is None:
        return code
    return str(template) % _worded(code, params or {})
