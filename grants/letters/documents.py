"""Award and decline letters: bilingual PDFs rendered from the figures copied when a letter is issued.

A letter states only what its `LetterFigures` hold; nothing is looked up or recomputed here except the
product ratio × own contribution that the rule sentence spells out. Each language is a section of its
own, in the applicant's language first, and every section carries the verification code, its URL as
text and a QR code of that URL.

Two renderers read the same `letter_section`. Award letters are composed (grants.letters.compose): WeasyPrint
lays out what every letter of a call says once, and each letter draws only its own text. This module
lays letters out in full: decline letters, award letters the composer cannot draw, and the naive
baseline of the benchmark. `render_flow` lays out many letters as one document, writes it once and cuts
the result into one PDF per letter with pikepdf. The cut follows the named anchor that opens each letter
(`Page.anchors`), never an assumed page count, so a letter that runs to three pages keeps its three.
Per-letter text in the page footer comes from the flow (`string-set`), never from document-wide
counters, so it reads the same in a batch as in a letter rendered alone. What remains is layout and
drawing, about 0.1 s a page in WeasyPrint's Python, growing with every box and line: hence the plain
templates.

The documents load nothing from outside: the only URL a letter may fetch is its own QR code, under the
internal `letter-qr:` scheme; every other URL is refused.
"""

import dataclasses
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cache

import pikepdf
import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from num2words import num2words
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from applications.enums import Region
from common.money import CENT, DASH, amount_text, format_ratio, usd_text
from grants.enums import DeclineReason, LetterKind

TEMPLATE = "grants/letters/letter.html"
STYLESHEET = "grants/letters/letter.css"

LANGUAGES = ("uk", "en")
KINDS = (LetterKind.AWARD.value, LetterKind.DECLINE.value)

# Letters laid out in full in one WeasyPrint pass. Past a few letters the fixed cost of a pass is shared out
# and per-page layout dominates: 200 letters took 232, 214, 223 and 224 ms a letter in chunks of 10, 25, 50
# and 100, while peak memory grew 149, 194, 265 and 406 MB.
CHUNK_SIZE = 25

QR_SCHEME = "letter-qr:"
ANCHOR_PREFIX = "letter-"

MONEY_FIELDS = ("grant_usd", "equipment_usd", "own_counted_usd", "own_cash_usd", "own_in_kind_usd", "cap_usd")


@dataclass(frozen=True)
class EquipmentItem:
    item: str
    quantity: int
    supplier: str
    total_usd: Decimal


@dataclass(frozen=True)
class LetterFigures:
    """Everything a letter states, copied at issue time (also stored as JSON on the letter row)."""

    kind: str  # "award" or "decline"
    languages: tuple[str, ...]  # ("uk", "en") or ("en", "uk"): applicant's language first
    version: int  # 1, 2, ... (a regenerated letter is a new version)
    verification_code: str
    verify_url: str  # absolute
    issued_on: date
    programme_uk: str
    programme_en: str
    donor: str  # may be ""
    call_title_uk: str
    call_title_en: str
    reference: str  # application reference
    agreement_number: str  # "" for a decline letter
    full_name: str
    region: str  # an applications.enums.Region value
    settlement: str  # town/village and hromada as one string, may be ""
    grant_usd: Decimal | None  # award: the grant; decline: None
    equipment_usd: Decimal | None
    own_counted_usd: Decimal | None
    own_cash_usd: Decimal | None
    own_in_kind_usd: Decimal | None
    match_ratio: Decimal | None
    cap_usd: Decimal | None
    equipment: tuple[EquipmentItem, ...]
    decline_reason: str  # decline: a DeclineReason value; award: ""
    decline_note: str  # free text typed by the approver, may be ""
    signed_by: str  # the approver's full name for the signature block
    # The call's conditions the award letter states (letters issued before these were copied: the defaults).
    retention_months: int = 24  # Call.equipment_retention_months
    report_months: tuple[int, ...] = (6, 12)  # Call.monitoring_months

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown letter kind {self.kind!r}.")
        if sorted(self.languages) != sorted(LANGUAGES):
            raise ValueError(f"A letter is in Ukrainian and English, not {self.languages!r}.")
        if self.kind == LetterKind.AWARD and self.grant_usd is None:
            raise ValueError("An award letter states its grant.")
        if self.kind == LetterKind.DECLINE and self.decline_reason not in DeclineReason.values:
            raise ValueError(f"Unknown decline reason {self.decline_reason!r}.")

    @property
    def number(self) -> str:
        """What the letter is filed under: the grant agreement for an award, the application otherwise."""
        return self.agreement_number if self.kind == LetterKind.AWARD else self.reference

    def to_json(self) -> dict:
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["languages"] = list(self.languages)
        data["report_months"] = list(self.report_months)
        data["issued_on"] = self.issued_on.isoformat()
        for name in (*MONEY_FIELDS, "match_ratio"):
            data[name] = None if data[name] is None else str(data[name])
        data["equipment"] = [
            {"item": line.item, "quantity": line.quantity, "supplier": line.supplier, "total_usd": str(line.total_usd)}
            for line in self.equipment
        ]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "LetterFigures":
        values = dict(data)
        values["languages"] = tuple(data["languages"])
        if "report_months" in data:
            values["report_months"] = tuple(int(month) for month in data["report_months"])
        values["issued_on"] = date.fromisoformat(data["issued_on"])
        for name in (*MONEY_FIELDS, "match_ratio"):
            values[name] = None if data[name] is None else Decimal(data[name])
        values["equipment"] = tuple(
            EquipmentItem(
                item=line["item"],
                quantity=int(line["quantity"]),
                supplier=line["supplier"],
                total_usd=Decimal(line["total_usd"]),
            )
            for line in data["equipment"]
        )
        return cls(**values)


def ratio_text(value: Decimal) -> str:
    """The match ratio without padding zeros, in the active language: 1.00 → '1', 1.50 → '1,5' / '1.5'."""
    return format_ratio(value)


def _ukrainian_plural(number: int, one: str, few: str, many: str) -> str:
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def amount_in_words(value: Decimal, language: str) -> str:
    """The amount as it is written out in payment documents: dollars in words, cents in figures.

    amount_in_words(Decimal("3250.50"), "en") == "three thousand two hundred fifty US dollars 50 cents"
    amount_in_words(Decimal("3250.50"), "uk") == "три тисячі двісті п'ятдесят доларів США 50 центів"
    """
    if value < 0:
        raise ValueError("An amount in words is never negative.")
    cents_total = int(value.quantize(CENT, rounding=ROUND_HALF_UP) * 100)
    dollars, cents = divmod(cents_total, 100)
    if language == "uk":
        words = num2words(dollars, lang="uk")
        dollar = _ukrainian_plural(dollars, "долар", "долари", "доларів")
        cent = _ukrainian_plural(cents, "цент", "центи", "центів")
        return f"{words} {dollar} США {cents:02d} {cent}"
    if language == "en":
        # num2words writes British English ("three thousand, two hundred and fifty"); US dollar amounts
        # are written without the commas and the "and".
        words = " ".join(word for word in num2words(dollars, lang="en").replace(",", "").split() if word != "and")
        dollar = "US dollar" if dollars == 1 else "US dollars"
        cent = "cent" if cents == 1 else "cents"
        return f"{words} {dollar} {cents:02d} {cent}"
    raise ValueError(f"No amount in words for language {language!r}.")


def letter_title(letter: LetterFigures) -> str:
    """The PDF title: the kind of letter in each of its languages (once if the two read the same), then
    its number, e.g. 'Лист про надання гранту / Award letter UA-1P1-2021-0007'."""
    titles = []
    for language in letter.languages:
        with translation.override(language):
            titles.append(str(LetterKind(letter.kind).label))
    return f"{' / '.join(dict.fromkeys(titles))} {letter.number}"


@dataclass(frozen=True)
class Row:
    """One line of a table in a letter: text on the left, an amount set to the right."""

    text: str
    amount: str
    strong: bool = False


def matched_usd(letter: LetterFigures) -> Decimal | None:
    """The match ratio times the own contribution counted, as the rule sentence spells it out."""
    if letter.match_ratio is None or letter.own_counted_usd is None:
        return None
    return (letter.match_ratio * letter.own_counted_usd).quantize(CENT, rounding=ROUND_DOWN)


def months_text(months: tuple[int, ...]) -> str:
    """6, 12 → "6 and 12"; 3, 6, 12 → "3, 6 and 12", in the active language."""
    numbers = [str(month) for month in months]
    if len(numbers) < 2:
        return "".join(numbers)
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(numbers[:-1]), "last": numbers[-1]}


def letter_section(letter: LetterFigures, language: str) -> dict:
    """Everything one language section of a letter states, in that language: the static text of a call
    (programme, call, signatory) and this letter's own figures. The WeasyPrint templates and the composer
    (grants.letters.compose) both read it, so a letter says the same whichever way it is rendered."""
    uk = language == "uk"
    award = letter.kind == LetterKind.AWARD
    with translation.override(language):
        section = {
            "language": language,
            "kind": letter.kind,
            "programme": (letter.programme_uk if uk else letter.programme_en) or letter.programme_uk,
            "call_title": (letter.call_title_uk if uk else letter.call_title_en) or letter.call_title_uk,
            "donor": letter.donor,
            "signed_by": letter.signed_by,
            "retention_months": letter.retention_months,
            "report_months": months_text(letter.report_months),
            "report_last": letter.report_months[-1],  # the word "months" agrees with the last number
            "region": str(Region(letter.region).label) if letter.region else "",
            "reason": str(DeclineReason(letter.decline_reason).label) if letter.decline_reason else "",
            "applicant_label": gettext("Applicant"),
            "full_name": letter.full_name,
            # Not gettext() inside an f-string: makemessages would not find the message.
            "outgoing": [
                gettext("Date") + ": " + letter.issued_on.strftime("%d.%m.%Y"),
                *([gettext("Grant agreement No.") + " " + letter.agreement_number] if award else []),
                gettext("Application No.") + " " + letter.reference,
            ],
            "verification_label": gettext("Verification code"),
            "check_label": gettext("Check this letter at"),
            "code": letter.verification_code,
            "url": letter.verify_url,
            "footer": gettext("Verification code %(code)s · %(languages)s version %(version)s")
            % {"code": letter.verification_code, "languages": "/".join(letter.languages), "version": letter.version},
        }
        section["address"] = [line for line in (section["region"], letter.settlement) if line]
        if award:
            section.update(_award_figures(letter, language))
    return section


def _award_figures(letter: LetterFigures, language: str) -> dict:
    ratio = DASH if letter.match_ratio is None else ratio_text(letter.match_ratio)
    equipment = [
        Row(f"{number}. {line.item} × {line.quantity} · {line.supplier or DASH}", amount_text(line.total_usd))
        for number, line in enumerate(letter.equipment, start=1)
    ]
    return {
        "grant_label": gettext("Grant"),
        "grant": usd_text(letter.grant_usd),
        "grant_words": amount_in_words(letter.grant_usd, language),
        "equipment": [*equipment, Row(gettext("Equipment in total"), amount_text(letter.equipment_usd), strong=True)],
        "contribution": [
            Row(
                gettext("Your own contribution: %(cash)s in cash and %(in_kind)s in kind; counted for the grant")
                % {"cash": usd_text(letter.own_cash_usd), "in_kind": usd_text(letter.own_in_kind_usd)},
                usd_text(letter.own_counted_usd),
            ),
            Row(gettext("Equipment cost"), usd_text(letter.equipment_usd)),
            Row(
                gettext("%(ratio)s × the own contribution counted") % {"ratio": ratio},
                usd_text(matched_usd(letter)),
            ),
            Row(gettext("The call’s cap"), usd_text(letter.cap_usd)),
            Row(gettext("Grant: the lowest of the three"), usd_text(letter.grant_usd), strong=True),
        ],
    }


def _letter_context(letter: LetterFigures, index: int) -> dict:
    return {
        "anchor": f"{ANCHOR_PREFIX}{index}",
        "figures": letter,
        "award": letter.kind == LetterKind.AWARD,
        "sections": [letter_section(letter, language) for language in letter.languages],
        "qr_src": f"{QR_SCHEME}{index}",
    }


# The QR code's data mask is fixed rather than chosen among the eight by segno's penalty scoring, which
# costs 4 ms of the 5 ms a code takes. Mask 7 scores within 2 % of the best mask for the median verify
# URL and within 15 % at worst (100 random codes); every mask decodes the same.
QR_MASK = 7
QR_BORDER = 4


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, mask=QR_MASK)


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG of one pixel a module, quiet zone included; the stylesheet scales
    it up without smoothing (`image-rendering: pixelated`), so it stays sharp at any size."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=1, border=QR_BORDER)
    return buffer.getvalue()


class LetterFetcher(URLFetcher):
    """Serves the QR codes of the letters being rendered (`letter-qr:<index>`) and refuses every other URL."""

    def __init__(self, letters: Sequence[LetterFigures]):
        super().__init__(allowed_protocols=())
        self._letters = letters

    def fetch(self, url, headers=None):
        if url.startswith(QR_SCHEME):
            index = int(url.removeprefix(QR_SCHEME))
            png = qr_png(self._letters[index].verify_url)
            return URLFetcherResponse(url, png, headers={"Content-Type": "image/png"})
        return super().fetch(url, headers)


def _html(letters: Sequence[LetterFigures]) -> str:
    contexts = [_letter_context(letter, index) for index, letter in enumerate(letters)]
    title = letter_title(letters[0]) if len(letters) == 1 else ""
    with translation.override(letters[0].languages[0]):
        return render_to_string(TEMPLATE, {"letters": contexts, "title": title, "lang": letters[0].languages[0]})


def _stylesheet_text() -> str:
    return render_to_string(STYLESHEET)


@cache
def shared_styles() -> tuple[FontConfiguration, CSS]:
    """One font configuration and one parsed stylesheet per process, reused by every chunk."""
    font_config = FontConfiguration()
    css = CSS(string=_stylesheet_text(), font_config=font_config, url_fetcher=URLFetcher(allowed_protocols=()))
    return font_config, css


def _chunks(letters: Sequence[LetterFigures], size: int) -> Iterator[Sequence[LetterFigures]]:
    for start in range(0, len(letters), size):
        yield letters[start : start + size]


def _letter_starts(document, count: int) -> list[int]:
    """The index of the page where each letter begins, from the anchor that opens it."""
    starts: dict[int, int] = {}
    for page_number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(ANCHOR_PREFIX):
                starts.setdefault(int(anchor.removeprefix(ANCHOR_PREFIX)), page_number)
    ordered = [starts.get(index) for index in range(count)]
    if ordered[0] != 0 or None in ordered or any(a >= b for a, b in zip(ordered, ordered[1:], strict=False)):
        raise RuntimeError(f"Letter boundaries not found in the rendered batch: {ordered}.")
    return ordered


def letter_metadata(letter: LetterFigures) -> dict[str, str]:
    """The document information of a letter's PDF: title, author, subject, creator."""
    first = letter.languages[0]
    return {
        "Title": letter_title(letter),
        "Author": letter.programme_uk if first == "uk" else letter.programme_en,
        "Subject": letter.call_title_uk if first == "uk" else letter.call_title_en,
        "Creator": "onepluone",
    }


def set_metadata(pdf: pikepdf.Pdf, letter: LetterFigures) -> None:
    for key, value in letter_metadata(letter).items():
        pdf.docinfo[f"/{key}"] = value
    pdf.Root.Lang = pikepdf.String(letter.languages[0])


def _split(content: bytes, starts: list[int], letters: Sequence[LetterFigures]) -> list[bytes]:
    pieces = []
    with pikepdf.open(io.BytesIO(content)) as batch:
        ends = [*starts[1:], len(batch.pages)]
        for letter, start, end in zip(letters, starts, ends, strict=True):
            with pikepdf.new() as piece:
                piece.pages.extend(batch.pages[start:end])
                # WeasyPrint gives every page of the batch one shared resource dictionary, which holds
                # every letter's QR code: keep only what this letter's pages draw.
                piece.remove_unreferenced_resources()
                set_metadata(piece, letter)
                buffer = io.BytesIO()
                piece.save(buffer)
                pieces.append(buffer.getvalue())
    return pieces


def render_flow(letters: Sequence[LetterFigures]) -> list[bytes]:
    """One PDF per letter, in order, each laid out in full: many letters in one WeasyPrint pass, then split."""
    font_config, css = shared_styles()
    pdfs: list[bytes] = []
    for chunk in _chunks(letters, CHUNK_SIZE):
        html = HTML(string=_html(chunk), url_fetcher=LetterFetcher(chunk))
        document = html.render(stylesheets=[css], font_config=font_config)
        starts = _letter_starts(document, len(chunk))
        pdfs.extend(_split(document.write_pdf(), starts, chunk))
    return pdfs


def render_letter_naive(letter: LetterFigures) -> bytes:
    """The baseline the benchmark compares with: one HTML(...).write_pdf() with a fresh FontConfiguration."""
    font_config = FontConfiguration()
    refuse_every_url = URLFetcher(allowed_protocols=())
    css = CSS(string=_stylesheet_text(), font_config=font_config, url_fetcher=refuse_every_url)
    html = HTML(string=_html([letter]), url_fetcher=LetterFetcher([letter]))
    return html.write_pdf(stylesheets=[css], font_config=font_config)
