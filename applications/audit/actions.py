"""What an access log row says was done. Other apps log their own actions with these names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Opened the application")
    VIEW_PLAN = "view_plan", _("Read the business plan")
    VIEW_DECISION = "view_decision", _("Opened the grant decision")
    CONSULT = "consult", _("Opened as the consultant")
    DOWNLOAD_EVIDENCE = "download_evidence", _("Downloaded the evidence of work abroad")
    DOWNLOAD_QUOTE = "download_quote", _("Downloaded a supplier quote")
    DOWNLOAD_CONTRIBUTION_EVIDENCE = "download_contribution_evidence", _("Downloaded own contribution evidence")
    DOWNLOAD_PLAN_PDF = "download_plan_pdf", _("Downloaded the business plan PDF")
    LETTER_DOWNLOAD = "letter_download", _("Downloaded a letter")
    EXPORT_RANKING_CSV = "export_ranking_csv", _("Exported the ranking (CSV)")
    EXPORT_RANKING_XLSX = "export_ranking_xlsx", _("Exported the ranking (XLSX)")
    DATA_EXPORT = "data_export", _("Downloaded a copy of their own data")
    VIEW_ERASURE_REQUEST = "view_erasure_request", _("Opened an erasure request")
    ANONYMISED = "anonymised", _("Anonymised on an erasure request")
    ANONYMISED_RETENTION = "anonymised_retention", _("Anonymised at the end of the retention period")
    DRAFT_DELETED = "draft_deleted", _("Deleted an abandoned draft")


def action_label(action: str) -> str:
    """The action's label, or its code for an action another app logs without a label here."""
    return str(AccessAction(action).label) if action in AccessAction.values else action
