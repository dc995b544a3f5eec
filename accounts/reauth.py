"""Confirming who you are again before taking personal data away in bulk.

An export or a bulk download of personal data (a ranking with names, a ZIP of documents...) is the
request an unattended or stolen session would make. `reauthentication_required_for_export` sends
whoever has not confirmed their password (or second factor) in the last
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (allauth's default, 5 minutes) to allauth's
re-authentication page, and back to the export afterwards. It goes inside the permission check, so
a user refused the export is refused at once rather than asked for a password first:

    @perm_required("applications.see_queue")
    @reauthentication_required_for_export
    def export_csv(request, pk): ...
"""

from allauth.account.decorators import reauthentication_required


def reauthentication_required_for_export(view):
    return reauthentication_required(view)
