"""An IATI activity file (standard 2.03) of a call's grants, for the donor's transparency reporting.

**One activity per call**: the call is what the donor funds and budgets (its envelope is the activity's
budget); a grant is an in-kind transfer within it, not a project of its own, and an activity per grant
would publish one record per participant. Each grant appears as transactions:
- a **commitment** (type 2) of the approved grant, dated the day it was approved;
- an **expenditure** (type 4) for the equipment handed over, dated the handover, at its actual cost
  (the programme buys the equipment and hands it over; no cash reaches the participant).
Values are in USD with the value date of the transaction. A transaction's `ref` starts with the grant's
pseudonymous id (reports.pseudonyms), so it matches the pseudonymised exports and names nobody, and ends
with what it records (`-C` for the commitment, `-E<line>` for an item handed over); no receiver
organisation is given, since the receivers are private persons. Withdrawn grants are left out. The
budget is the call's envelope over the first year from the call's opening (IATI asks for budget periods
of at most a year).
"""

import xml.etree.ElementTree as ET  # noqa: S405 - writing our own data, never parsing untrusted XML
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from applications.models import Call
from grants.enums import GRANTED
from grants.models import Grant
from procurement.enums import ItemStatus
from procurement.models import ProcurementItem

from .pseudonyms import pseudonym

VERSION = "2.03"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COMMITMENT, EXPENDITURE = "2", "4"
PIPELINE, IMPLEMENTATION = "1", "2"
PLANNED_START, ACTUAL_START, PLANNED_END = "1", "2", "3"
UKRAINE = "UA"


def activity_identifier(call: Call) -> str:
    return f"{settings.IATI_REPORTING_ORG_REF}-{call.reference_prefix}-{call.cycle_year}"


def _money(parent: ET.Element, amount: Decimal, on) -> None:
    value = ET.SubElement(parent, "value", {"currency": "USD", "value-date": on.isoformat()})
    value.text = f"{Decimal(amount).quantize(Decimal('0.01'))}"


def _narratives(parent: ET.Element, tag: str, texts: dict[str, str], attributes: dict | None = None) -> None:
    element = ET.SubElement(parent, tag, attributes or {})
    for language, text in texts.items():
        narrative = ET.SubElement(element, "narrative", {LANG: language} if language != "en" else {})
        narrative.text = text


def activities(call: Call, *, now: datetime | None = None) -> bytes:
    """The call's activity file as UTF-8 XML: three queries (the grants, the handed-over items, the first
    approval date)."""
    now = now or timezone.now()
    grants = list(
        Grant.objects.filter(call=call, application__status__in=GRANTED)
        .order_by("sequence")
        .only("pk", "application_id", "grant_usd", "approved_at")
    )
    handed_over = defaultdict(list)
    for item in ProcurementItem.objects.filter(grant__in=grants, status=ItemStatus.HANDED_OVER).order_by(
        "handed_over_on", "pk"
    ):
        handed_over[item.grant_id].append(item)
    first_approval = Grant.objects.filter(call=call).aggregate(first=Min("approved_at"))["first"]

    root = ET.Element("iati-activities", {"version": VERSION, "generated-datetime": now.isoformat(timespec="seconds")})
    activity = ET.SubElement(
        root,
        "iati-activity",
        {"last-updated-datetime": now.isoformat(timespec="seconds"), LANG: "en", "default-currency": "USD"},
    )
    ET.SubElement(activity, "iati-identifier").text = activity_identifier(call)
    _narratives(
        activity,
        "reporting-org",
        {"en": settings.IATI_REPORTING_ORG_NAME},
        {"ref": settings.IATI_REPORTING_ORG_REF, "type": settings.IATI_REPORTING_ORG_TYPE},
    )
    _narratives(activity, "title", {"en": call.title_en or call.title_uk, "uk": call.title_uk or call.title_en})
    _narratives(
        activity,
        "description",
        {
            "en": "Matching grants in kind (1+1): for each dollar a participant invests in a business in Ukraine, "
            "the programme adds a dollar's worth of equipment, up to the call's cap.",
        },
        {"type": "1"},
    )
    if call.programme.donor:
        _narratives(activity, "participating-org", {"en": call.programme.donor}, {"role": "1"})
    _narratives(
        activity,
        "participating-org",
        {"en": settings.IATI_REPORTING_ORG_NAME},
        {"role": "4", "ref": settings.IATI_REPORTING_ORG_REF, "type": settings.IATI_REPORTING_ORG_TYPE},
    )
    ET.SubElement(activity, "activity-status", {"code": IMPLEMENTATION if grants else PIPELINE})
    opens = timezone.localtime(call.opens_at).date()
    ET.SubElement(activity, "activity-date", {"iso-date": opens.isoformat(), "type": PLANNED_START})
    if first_approval:
        started = timezone.localtime(first_approval).date()
        ET.SubElement(activity, "activity-date", {"iso-date": started.isoformat(), "type": ACTUAL_START})
    ET.SubElement(activity, "recipient-country", {"code": UKRAINE, "percentage": "100"})
    budget = ET.SubElement(activity, "budget", {"type": "1", "status": "2"})
    ET.SubElement(budget, "period-start", {"iso-date": opens.isoformat()})
    ET.SubElement(budget, "period-end", {"iso-date": (opens + timedelta(days=364)).isoformat()})
    _money(budget, call.budget_envelope, opens)
    for grant in grants:
        ref = pseudonym(grant.application_id, key=settings.REPORTS_PSEUDONYM_KEY)
        approved = timezone.localtime(grant.approved_at).date()
        _transaction(activity, f"{ref}-C", COMMITMENT, approved, grant.grant_usd, "Grant approved")
        for item in handed_over[grant.pk]:
            on = item.handed_over_on or approved
            _transaction(
                activity, f"{ref}-E{item.line_number}", EXPENDITURE, on, item.value_usd, "Equipment handed over"
            )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _transaction(activity: ET.Element, ref: str, kind: str, on, amount: Decimal, text: str) -> None:
    transaction = ET.SubElement(activity, "transaction", {"ref": ref})
    ET.SubElement(transaction, "transaction-type", {"code": kind})
    ET.SubElement(transaction, "transaction-date", {"iso-date": on.isoformat()})
    _money(transaction, amount, on)
    _narratives(transaction, "description", {"en": text})
