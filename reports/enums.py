"""Bands, dimensions and kinds of the reports and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    """The applicant's age on the day they submitted; bands end before 35 as the priority group "youth"."""

    UNDER_25 = "under_25", _("under 25")
    FROM_25 = "25_34", _("25–34")
    FROM_35 = "35_44", _("35–44")
    FROM_45 = "45_54", _("45–54")
    FROM_55 = "55_plus", _("55 and over")
    UNKNOWN = "unknown", _("not stated")


# Lower bounds in whole years, youngest first (the first band has none).
AGE_BAND_FROM = ((AgeBand.FROM_25, 25), (AgeBand.FROM_35, 35), (AgeBand.FROM_45, 45), (AgeBand.FROM_55, 55))


class Dimension(models.TextChoices):
    REGION = "region", _("Oblast")
    SECTOR = "sector", _("Sector")
    GENDER = "gender", _("Gender")
    AGE_BAND = "age_band", _("Age band")
    PRIORITY_GROUP = "priority_group", _("Priority group")


class ExportKind(models.TextChoices):
    APPLICATIONS = "applications", _("Applications")
    GRANTS = "grants", _("Grants")
    PROCUREMENT = "procurement", _("Procurement")
    MONITORING = "monitoring", _("Monitoring reports")
    DASHBOARD = "dashboard", _("Dashboard tables")
    IATI = "iati", _("IATI activity file")


class ExportVariant(models.TextChoices):
    FULL = "full", _("Full, with personal data")
    PSEUDONYMISED = "pseudonymised", _("Pseudonymised")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class MapMeasure(models.TextChoices):
    APPLICATIONS = "applications", _("Applications")
    GRANTS = "grants", _("Grants")
    GRANT_USD = "grant_usd", _("Grants, USD")
