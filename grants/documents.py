"""Award and decline letters: bilingual PDFs rendered from the figures copied when a letter is issued.

A letter states only what its `LetterFigures` hold; nothing is looked up or recomputed here except the
product ratio × own contribution that the rule sentence spells out. Each language is a section of its
own, in the applicant's language first, and every section carries the verification code, its URL as
text and a QR code of that URL.

Speed. A letter alone pays for a fresh font configuration, the stylesheet's parsing and the subsetting of
both DejaVu faces (about 0.3 s a face with fontTools, where libharfbuzz-subset is missing). So
`render_letters` lays out many letters as one document, writes it once and cuts the result into one PDF
per letter with pikepdf. The cut follows the named anchor that opens each letter (`Page.anchors`), never
an assumed page count, so a letter that runs to three pages keeps its three. Per-letter text in the page
footer comes from the flow (`string-set`), never from document-wide counters, so it reads the same in a
batch as in a letter rendered alone. What remains is layout and drawing, about 0.1 s a page in
WeasyPrint's Python, growing with every box and line: hence the plain templates.

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
from num2words import num2words
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from applications.enums import Region

from .enums import DeclineReason, LetterKind

TEMPLATE = "grants/letters/letter.html"
STYLESHEET = "grants/letters/letter.css"

LANGUAGES = ("uk", "en")
KINDS = (LetterKind.AWARD.value, LetterKind.DECLINE.value)

# Letters laid out in one WeasyPrint pass. Past a few letters the fixed cost of a pass is shared out and
# per-page layout dominates: 200 letters took 232, 214, 223 and 224 ms a letter in chunks of 10, 25, 50
# and 100, while peak memory grew 149, 194, 265 and 406 MB.
CHUNK_SIZE = 25

QR_SCHEME = "letter-qr:"
ANCHOR_PREFIX = "letter-"
CENT = Decimal("0.01")
DASH = "—"

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


def usd_text(value: Decimal | None) -> str:
    """`3250.5` → 'USD 3,250.50', the same in both languages."""
    return DASH if value is None else f"USD {value:,.2f}"


def amount_text(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:,.2f}"


def ratio_text(value: Decimal) -> str:
    """The match ratio without padding zeros: 1.00 → '1', 1.50 → '1.5'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


def _section(letter: LetterFigures, language: str) -> dict:
    """What differs between the two language sections of a letter, apart from the catalogue's text."""
    uk = language == "uk"
    with translation.override(language):
        region = str(Region(letter.region).label) if letter.region else ""
        reason = str(DeclineReason(letter.decline_reason).label) if letter.decline_reason else ""
    return {
        "language": language,
        "programme": (letter.programme_uk if uk else letter.programme_en) or letter.programme_uk,
        "call_title": (letter.call_title_uk if uk else letter.call_title_en) or letter.call_title_uk,
        "region": region,
        "reason": reason,
        "grant_words": "" if letter.grant_usd is None else amount_in_words(letter.grant_usd, language),
    }


def _letter_context(letter: LetterFigures, index: int) -> dict:
    matched = None
    if letter.match_ratio is not None and letter.own_counted_usd is not None:
        matched = (letter.match_ratio * letter.own_counted_usd).quantize(CENT, rounding=ROUND_DOWN)
    return {
        "anchor": f"{ANCHOR_PREFIX}{index}",
        "figures": letter,
        "award": letter.kind == LetterKind.AWARD,
        "sections": [_section(letter, language) for language in letter.languages],
        "languages": "/".join(letter.languages),
        "issued_on": letter.issued_on.strftime("%d.%m.%Y"),
        "qr_src": f"{QR_SCHEME}{index}",
        "grant": usd_text(letter.grant_usd),
        "equipment_total": amount_text(letter.equipment_usd),
        "equipment_usd": usd_text(letter.equipment_usd),
        "own_counted": usd_text(letter.own_counted_usd),
        "own_cash": usd_text(letter.own_cash_usd),
        "own_in_kind": usd_text(letter.own_in_kind_usd),
        "ratio": DASH if letter.match_ratio is None else ratio_text(letter.match_ratio),
        "matched": usd_text(matched),
        "cap": usd_text(letter.cap_usd),
        "equipment": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "supplier": line.supplier or DASH,
                "total": amount_text(line.total_usd),
            }
            for line in letter.equipment
        ],
    }


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG of one pixel a module, quiet zone included; the stylesheet scales
    it up without smoothing (`image-rendering: pixelated`), so it stays sharp at any size."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=1, border=4)
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
def _shared_styles() -> tuple[FontConfiguration, CSS]:
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


def _set_metadata(pdf: pikepdf.Pdf, letter: LetterFigures) -> None:
    first = letter.languages[0]
    pdf.docinfo["/Title"] = letter_title(letter)
    pdf.docinfo["/Author"] = letter.programme_uk if first == "uk" else letter.programme_en
    pdf.docinfo["/Subject"] = letter.call_title_uk if first == "uk" else letter.call_title_en
    pdf.docinfo["/Creator"] = "onepluone"
    pdf.Root.Lang = pikepdf.String(first)


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
                _set_metadata(piece, letter)
                buffer = io.BytesIO()
                piece.save(buffer)
                pieces.append(buffer.getvalue())
    return pieces


def render_letters(letters: Sequence[LetterFigures]) -> list[bytes]:
    """One PDF per letter, in order. Fast path: many letters in one WeasyPrint pass, then split."""
    font_config, css = _shared_styles()
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
