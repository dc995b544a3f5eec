"""The pieces of an award letter that every letter of a call shares, laid out once by WeasyPrint.

The pieces (`PIECES`, templates under grants/letters/pieces/) are the very templates the full letter
includes. `form` lays out one language's pieces (one a page, `body.form`), measures each by its anchor
and keeps the PDF, whose pages become Form XObjects. A form is cached per process by what it states:
language, programme, donor, call title, signatory and the call's retention and monitoring months.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from grants.letters.documents import shared_styles

from .geometry import PX

FORM_TEMPLATE = "grants/letters/form.html"
PIECES = ("head", "intro", "equipment", "contribution", "conditions", "closing")


@dataclass(frozen=True)
class Piece:
    resource: str  # the Form XObject's name in the page resources
    top: float  # where its content starts on its own page, pt from the top
    height: float  # pt


@dataclass(frozen=True)
class Form:
    """One language's pieces, laid out by WeasyPrint, as one PDF page a piece."""

    pdf: bytes
    pieces: dict[str, Piece]


def form_key(section: dict) -> tuple:
    return (
        section["language"],
        section["programme"],
        section["call_title"],
        section["donor"],
        section["signed_by"],
        section["retention_months"],
        section["report_months"],
        section["report_last"],
    )


@lru_cache(maxsize=16)
def form(key: tuple) -> Form:
    language, programme, call_title, donor, signed_by, retention_months, report_months, report_last = key
    section = {
        "language": language,
        "programme": programme,
        "call_title": call_title,
        "donor": donor,
        "signed_by": signed_by,
        "retention_months": retention_months,
        "report_months": report_months,
        "report_last": report_last,
    }
    font_config, css = shared_styles()
    with translation.override(language):
        html = render_to_string(FORM_TEMPLATE, {"section": section, "pieces": PIECES})
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).render(
        stylesheets=[css], font_config=font_config
    )
    pieces = {}
    for index, name in enumerate(PIECES):
        anchor = document.pages[index].anchors.get(f"piece-{name}") if index < len(document.pages) else None
        if anchor is None:
            raise RuntimeError(f"The letter piece {name!r} is not alone on page {index + 1} of its form.")
        _, top, _, bottom = anchor
        pieces[name] = Piece(resource=f"{language.upper()}{index}", top=top * PX, height=(bottom - top) * PX)
    return Form(pdf=document.write_pdf(), pieces=pieces)
