"""The PDF of a submitted business plan, for the panel.

The document states what the version stored when it was submitted: the USD figures, the rates and
their dates, and the grant under the call's rule. Nothing is converted or recomputed here, except the
sums of the applicant's own 12-month projection, which the plan stores month by month.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from applications.enums import Region, Sector
from common.money import DASH, amount_text, usd_text
from plans.enums import SECTION_HEADINGS_UK_EN, ContributionKind, PlanSection
from plans.models import PlanVersion

TEMPLATE = "plans/plan_pdf.html"
STYLESHEET = "plans/plan_pdf.css"

CONTRIBUTION_KINDS_UK_EN = {
    ContributionKind.CASH: ("Кошти", "Cash"),
    ContributionKind.IN_KIND: ("У натуральній формі", "In kind"),
}

JOBS_UK_EN = [
    ("jobs_total", "Усього робочих місць", "Jobs in total"),
    ("jobs_women", "з них для жінок", "of which for women"),
    ("jobs_youth", "для молоді (до 35 років)", "for young people (under 35)"),
    ("jobs_disability", "для людей з інвалідністю", "for people with disabilities"),
    ("jobs_veterans", "для ветеранів", "for veterans"),
]


def rate_text(value: Decimal | None) -> str:
    """The stored rate without its padding zeros, never below two decimals: 0.02450000 → '0.0245'."""
    if value is None:
        return DASH
    text = f"{value:f}"
    if "." in text:
        whole, fraction = text.split(".")
        text = f"{whole}.{fraction.rstrip('0').ljust(2, '0')}"
    return text


def date_text(value) -> str:
    return DASH if value is None else value.strftime("%d.%m.%Y")


def both_languages(label) -> str:
    """A lazy label as 'Українською / English' (once when the two are the same)."""
    with translation.override("uk"):
        uk = str(label)
    with translation.override("en"):
        en = str(label)
    return uk if uk == en else f"{uk} / {en}"


def pdf_filename(version: PlanVersion) -> str:
    reference = version.plan.application.reference or f"application-{version.plan.application_id}"
    return f"plan-{reference}-v{version.number}.pdf"


@dataclass(frozen=True)
class ProjectionMonth:
    number: int
    revenue: Decimal
    costs: Decimal

    @property
    def net(self) -> Decimal:
        return self.revenue - self.costs


def projection_table(version: PlanVersion) -> dict:
    """The 12-month projection as text in the active language: each month's revenue, costs and net, and the
    totals. The plan PDF, the plan page and the reviewer's page show these same figures."""
    months = [
        ProjectionMonth(number, Decimal(str(month.get("revenue") or 0)), Decimal(str(month.get("costs") or 0)))
        for number, month in enumerate(version.projection, start=1)
    ]
    revenue = sum((month.revenue for month in months), Decimal("0"))
    costs = sum((month.costs for month in months), Decimal("0"))
    return {
        "rows": [
            {
                "number": month.number,
                "revenue": amount_text(month.revenue),
                "costs": amount_text(month.costs),
                "net": amount_text(month.net),
            }
            for month in months
        ],
        "revenue": amount_text(revenue),
        "costs": amount_text(costs),
        "net": amount_text(revenue - costs),
    }


def plan_pdf_context(version: PlanVersion) -> dict:
    """Everything the document states, as text. Expects the version with its application, call,
    programme and lines loaded (`plans.pdf.tasks.plan_pdf_render` loads them in a fixed number of queries)."""
    application = version.plan.application
    call = application.call
    programme = call.programme
    submitted_at = timezone.localtime(version.submitted_at) if version.submitted_at else None
    return {
        "version": version,
        "application": application,
        "programme_title": " / ".join(dict.fromkeys(filter(None, [programme.name_uk, programme.name_en]))),
        "call_title_uk": call.title_uk,
        "call_title_en": call.title_en if call.title_en != call.title_uk else "",
        "region": both_languages(Region(application.region).label) if application.region else DASH,
        "sector": both_languages(Sector(application.sector).label) if application.sector else DASH,
        "submitted_on": submitted_at.strftime("%d.%m.%Y %H:%M") if submitted_at else DASH,
        "submitted_iso": submitted_at.isoformat(timespec="seconds") if submitted_at else "",
        "rates_date": date_text(version.rates_date),
        "sections": [
            {
                "uk": SECTION_HEADINGS_UK_EN[section][0],
                "en": SECTION_HEADINGS_UK_EN[section][1],
                "text": getattr(version, section.value),
            }
            for section in PlanSection
        ],
        "jobs": [
            {"uk": uk, "en": en, "value": DASH if getattr(version, name) is None else getattr(version, name)}
            for name, uk, en in JOBS_UK_EN
        ],
        "equipment": [
            {
                "item": line.item,
                "purpose": line.purpose,
                "supplier": line.supplier or DASH,
                "quantity": line.quantity,
                "unit_price": amount_text(line.unit_price),
                "currency": line.currency,
                "vat_included": line.vat_included,
                "total_usd": amount_text(line.total_usd),
                "rate": rate_text(line.usd_per_unit),
                "rate_date": date_text(line.rate_date),
            }
            for line in version.equipment_lines.all()
        ],
        "contributions": [
            {
                "kind": " / ".join(CONTRIBUTION_KINDS_UK_EN.get(line.kind, (line.kind, line.kind))),
                "description": line.description,
                "amount": amount_text(line.amount),
                "currency": line.currency,
                "amount_usd": amount_text(line.amount_usd),
                "rate": rate_text(line.usd_per_unit),
                "rate_date": date_text(line.rate_date),
            }
            for line in version.contribution_lines.all()
        ],
        "equipment_usd": usd_text(version.equipment_usd),
        "own_cash_usd": usd_text(version.own_cash_usd),
        "own_in_kind_usd": usd_text(version.own_in_kind_usd),
        "own_counted_usd": usd_text(version.own_counted_usd),
        "grant_usd": usd_text(version.grant_usd),
        "cap_usd": usd_text(version.cap_usd),
        "match_ratio": amount_text(version.match_ratio),
        "projection": projection_table(version),
    }


def render_plan_pdf(version: PlanVersion) -> bytes:
    """An A4 PDF of the submitted version, its text real and searchable, with DejaVu Sans embedded
    (subset) for Cyrillic. The document loads nothing from outside: every URL fetch is refused."""
    with translation.override("uk"):
        html = render_to_string(TEMPLATE, plan_pdf_context(version))
        stylesheet = render_to_string(STYLESHEET)
    font_config = FontConfiguration()
    refuse_every_url = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=refuse_every_url).write_pdf(
        stylesheets=[CSS(string=stylesheet, font_config=font_config, url_fetcher=refuse_every_url)],
        font_config=font_config,
    )
