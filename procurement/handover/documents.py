"""Handover acts: bilingual PDFs laid out in full by WeasyPrint, from the figures copied when the act is
issued, on the award letters' machinery (grants.documents): the same stylesheet and fonts (one
`shared_styles()` per process), the same letterhead piece, the same money and word formats, and a URL
fetcher that refuses every URL, so an act loads nothing from outside.

An act states only what its `ActFigures` hold: the parties, each item with its quantity, serial numbers,
condition and value, the total, the own contribution verified, the conditions of use (the call's retention
period and report months, copied at issue) and two signature lines.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from applications.enums import Region
from common.money import amount_text, usd_text
from grants.letters.documents import amount_in_words, months_text, ratio_text, shared_styles

from ..enums import ItemCondition

TEMPLATE = "procurement/handover/act.html"
STYLESHEET = "procurement/handover/act.css"
LANGUAGES = ("uk", "en")


@dataclass(frozen=True)
class ActItem:
    item: str
    quantity: int
    serial_numbers: tuple[str, ...]
    condition: str  # an ItemCondition value
    condition_note: str
    value_usd: Decimal


@dataclass(frozen=True)
class ActFigures:
    """Everything an act states, copied at issue time (also stored as JSON on the act's row)."""

    number: str
    version: int
    languages: tuple[str, ...]  # the participant's language first
    issued_on: date
    programme_uk: str
    programme_en: str
    donor: str
    call_title_uk: str
    call_title_en: str
    agreement_number: str
    reference: str
    full_name: str
    region: str
    settlement: str
    items: tuple[ActItem, ...]
    equipment_usd: Decimal
    own_counted_usd: Decimal
    match_ratio: Decimal
    cap_usd: Decimal
    retention_months: int
    report_months: tuple[int, ...]
    handed_over_by: str

    def __post_init__(self):
        if sorted(self.languages) != sorted(LANGUAGES):
            raise ValueError(f"An act is in Ukrainian and English, not {self.languages!r}.")
        if not self.items:
            raise ValueError("An act lists at least one item.")

    def to_json(self) -> dict:
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["languages"] = list(self.languages)
        data["report_months"] = list(self.report_months)
        data["issued_on"] = self.issued_on.isoformat()
        for name in ("equipment_usd", "own_counted_usd", "match_ratio", "cap_usd"):
            data[name] = str(data[name])
        data["items"] = [
            {**dataclasses.asdict(item), "serial_numbers": list(item.serial_numbers), "value_usd": str(item.value_usd)}
            for item in self.items
        ]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ActFigures":
        values = dict(data)
        values["languages"] = tuple(data["languages"])
        values["report_months"] = tuple(int(month) for month in data["report_months"])
        values["issued_on"] = date.fromisoformat(data["issued_on"])
        for name in ("equipment_usd", "own_counted_usd", "match_ratio", "cap_usd"):
            values[name] = Decimal(data[name])
        values["items"] = tuple(
            ActItem(
                item=line["item"],
                quantity=int(line["quantity"]),
                serial_numbers=tuple(line["serial_numbers"]),
                condition=line["condition"],
                condition_note=line["condition_note"],
                value_usd=Decimal(line["value_usd"]),
            )
            for line in data["items"]
        )
        return cls(**values)


def act_title(act: ActFigures) -> str:
    titles = []
    for language in act.languages:
        with translation.override(language):
            titles.append(gettext("Equipment handover act"))
    return f"{' / '.join(titles)} {act.number}"


def act_section(act: ActFigures, language: str) -> dict:
    """One language's section of the act, every text in that language."""
    uk = language == "uk"
    with translation.override(language):
        return {
            "language": language,
            "programme": (act.programme_uk if uk else act.programme_en) or act.programme_uk,
            "donor": act.donor,
            "call_title": (act.call_title_uk if uk else act.call_title_en) or act.call_title_uk,
            "region": str(Region(act.region).label) if act.region else "",
            "items": [
                {
                    "number": number,
                    "item": line.item,
                    "quantity": line.quantity,
                    "serials": ", ".join(line.serial_numbers) or "—",
                    "condition": str(ItemCondition(line.condition).label),
                    "condition_note": line.condition_note,
                    "value": amount_text(line.value_usd),
                }
                for number, line in enumerate(act.items, start=1)
            ],
            "total": usd_text(act.equipment_usd),
            "total_words": amount_in_words(act.equipment_usd, language),
            "own": usd_text(act.own_counted_usd),
            "ratio": ratio_text(act.match_ratio),
            "cap": usd_text(act.cap_usd),
            "months": months_text(act.report_months),
            "footer": gettext("Handover act %(number)s · %(languages)s version %(version)s")
            % {"number": act.number, "languages": "/".join(act.languages), "version": act.version},
        }


def _html(act: ActFigures) -> str:
    sections = [act_section(act, language) for language in act.languages]
    with translation.override(act.languages[0]):
        return render_to_string(
            TEMPLATE, {"act": act, "sections": sections, "title": act_title(act), "lang": act.languages[0]}
        )


def render_act(act: ActFigures) -> bytes:
    """The act's PDF, laid out in full by WeasyPrint with the letters' stylesheet and fonts."""
    font_config, letter_css = shared_styles()
    refuse_every_url = URLFetcher(allowed_protocols=())
    act_css = CSS(string=render_to_string(STYLESHEET), font_config=font_config, url_fetcher=refuse_every_url)
    html = HTML(string=_html(act), url_fetcher=refuse_every_url)
    return html.write_pdf(stylesheets=[letter_css, act_css], font_config=font_config)
