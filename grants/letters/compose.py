"""Award letters composed from pieces: WeasyPrint lays out once what every award letter of a call says,
and each letter adds only what is its own, drawn straight into its PDF.

Why. One `HTML(...).write_pdf()` a letter costs about 0.23 s here, and laying many letters out in one
WeasyPrint pass saves little: past font loading and subsetting, WeasyPrint's layout and drawing cost
about 0.1 s a page, and a letter has a page in each language. But most of a page reads the same in every
award letter of a call: letterhead, title, headings, the 1+1 rule, the conditions, the signature.

How.
- The pieces (`PIECES`, templates under grants/letters/pieces/) are the very templates the full letter
  includes. `_form` lays out one language's pieces with WeasyPrint (one a page, `body.form`), measures
  each by its anchor and keeps its page as a Form XObject. A form is cached per process by what it
  states: language, programme, donor, call title and signatory.
- What is the letter's own (`letter_section`: parties, grant and words, equipment and contribution rows,
  verification code, URL and QR code, page footer) is drawn here, in the sizes, colours and spacing of
  letter.css, with DejaVu Sans and Sans Bold subset once per process to the scripts letters are written in
  and embedded with a ToUnicode map: the text stays searchable and copyable. Text wraps by the fonts'
  advance widths; a piece or a row that does not fit starts a new page.
- A letter composed costs a few milliseconds. What cannot be composed (a decline letter, a character the
  subset lacks, no DejaVu font file) is laid out in full by WeasyPrint (grants.letters.documents.render_flow),
  so every letter is rendered one way or the other, and `render_letters_counted` tells how many went
  which way.
- A letter's file is written directly: the objects every letter of these forms shares (`Template`,
  serialized once by pikepdf), then the letter's own pages, its QR code and a fresh cross-reference table.

tests/grants/letters/test_compose.py holds the composed letter against WeasyPrint's layout of the same letter,
word by word, so this module and letter.css cannot drift apart unnoticed.
"""

import hashlib
import io
import logging
import re
import subprocess
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from fontTools import subset
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from grants.enums import LetterKind

from .documents import (
    QR_BORDER,
    LetterFigures,
    Row,
    letter_metadata,
    letter_section,
    qr_code,
    render_flow,
    shared_styles,
)

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "grants/letters/form.html"
PIECES = ("head", "intro", "equipment", "contribution", "conditions", "closing")

# Geometry of letter.css, in points (1 mm = 72 / 25.4 pt; 1 CSS px = 0.75 pt).
MM = 72 / 25.4
PX = 0.75
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
TOP, RIGHT, BOTTOM, LEFT = 14 * MM, 18 * MM, 17 * MM, 20 * MM
WIDTH = PAGE_WIDTH - LEFT - RIGHT
LAST = PAGE_HEIGHT - BOTTOM  # where the content area ends
LINE_HEIGHT = 1.35

INK = "0.102 0.102 0.102"  # #1a1a1a
GREY = "0.290 0.333 0.388"  # #4a5563
NAVY = "0.122 0.227 0.373"  # #1f3a5f
FOOTER_GREY = "0.357 0.392 0.439"  # #5b6470
HAIRLINE = "0.835 0.855 0.878"  # #d5dae0
RULE = "0.545 0.584 0.631"  # #8b95a1

# What the embedded subset covers: Latin-1 and Latin Extended-A (names and places as passports
# transliterate them), the Ukrainian and Russian alphabets with Ґ, and the punctuation, currency and
# symbols letters use. 492 glyphs, 18 kB a face. A character outside it sends its letter to WeasyPrint.
REPERTOIRE = frozenset(
    [
        *range(0x20, 0x7F),
        *range(0xA0, 0x180),
        0x2BC,  # ʼ, the Ukrainian apostrophe
        *range(0x400, 0x460),
        0x490,
        0x491,
        *range(0x2010, 0x2027),
        0x2030,
        0x2039,
        0x203A,
        0x20AC,
        0x20B4,
        0x2116,
        0x2122,
    ]
)
FONT_FILES = {
    "regular": ("DejaVu Sans:style=Book", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "bold": ("DejaVu Sans:style=Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


class Unfit(Exception):
    """This letter cannot be composed; WeasyPrint lays it out in full instead."""


# Fonts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    """A DejaVu face subset to `REPERTOIRE`, as a PDF resource named `resource`."""

    resource: str
    base_name: str
    glyphs: dict[str, int]  # character → glyph id in the subset
    advances: tuple[int, ...]  # glyph id → advance width, thousandths of an em
    ascent: float  # em
    descent: float  # em, positive
    bbox: tuple[int, int, int, int]  # thousandths of an em
    program: bytes  # the subset TrueType file
    char_widths: dict[str, int]  # character → advance width, thousandths of an em
    char_codes: dict[str, str]  # character → its glyph id as four hex digits, as a PDF string shows it

    def width(self, text: str, size: float) -> float:
        try:
            return sum(map(self.char_widths.__getitem__, text)) * size / 1000
        except KeyError as error:
            raise Unfit(f"No glyph for {error.args[0]!r} in the embedded font.") from None

    def encode(self, text: str) -> str:
        try:
            return "".join(map(self.char_codes.__getitem__, text))
        except KeyError as error:
            raise Unfit(f"No glyph for {error.args[0]!r} in the embedded font.") from None

    def baseline(self, size: float) -> float:
        """From the top of a CSS line box to the baseline, as WeasyPrint places it (half-leading above)."""
        return (LINE_HEIGHT - self.ascent - self.descent) * size / 2 + self.ascent * size


def _font_file(style: str) -> Path:
    pattern, default = FONT_FILES[style]
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10)
        if found.returncode == 0 and Path(found.stdout).name.startswith("DejaVuSans"):
            return Path(found.stdout)
    except OSError:
        pass
    return Path(default)


@cache
def _face(style: str) -> Face:
    path = _font_file(style)
    if not path.exists():
        raise Unfit(f"The font file {path} is missing.")
    font = TTFont(str(path))
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=REPERTOIRE)
    subsetter.subset(font)
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    units = font["head"].unitsPerEm
    glyphs = {chr(code): order[name] for code, name in font.getBestCmap().items()}
    advances = tuple(round(font["hmtx"][name][0] * 1000 / units) for name in font.getGlyphOrder())
    head = font["head"]
    buffer = io.BytesIO()
    font.save(buffer)
    tag = "OPOL" + ("RG" if style == "regular" else "BD")  # six capitals: the subset tag of PDF 9.6.4
    return Face(
        resource="FR" if style == "regular" else "FB",
        base_name=f"{tag}+{font['name'].getDebugName(6) or path.stem}",
        glyphs=glyphs,
        advances=advances,
        ascent=font["hhea"].ascent / units,
        descent=-font["hhea"].descent / units,
        bbox=tuple(round(value * 1000 / units) for value in (head.xMin, head.yMin, head.xMax, head.yMax)),
        program=buffer.getvalue(),
        char_widths={char: advances[gid] for char, gid in glyphs.items()},
        char_codes={char: f"{gid:04x}" for char, gid in glyphs.items()},
    )


def _faces() -> tuple[Face, Face]:
    return _face("regular"), _face("bold")


def _to_unicode(face: Face) -> bytes:
    pairs = sorted((gid, char) for char, gid in face.glyphs.items())
    seen: dict[int, str] = {}
    for gid, char in pairs:
        seen.setdefault(gid, char)
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    entries = list(seen.items())
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{gid:04x}> <{''.join(f'{unit:04x}' for unit in _utf16(char))}>" for gid, char in block)
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[index : index + 2], "big") for index in range(0, len(data), 2)]


def _font_object(pdf: pikepdf.Pdf, face: Face) -> pikepdf.Object:
    name = pikepdf.Name("/" + face.base_name)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=list(face.bbox),
        ItalicAngle=0,
        Ascent=round(face.ascent * 1000),
        Descent=-round(face.descent * 1000),
        CapHeight=round(face.ascent * 1000),
        StemV=80,
        FontFile2=pdf.make_stream(face.program),
    )
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        CIDToGIDMap=pikepdf.Name.Identity,
        DW=1000,
        W=[0, list(face.advances)],
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=name,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(descendant)],
            ToUnicode=pdf.make_stream(_to_unicode(face)),
        )
    )


# Text -------------------------------------------------------------------------------------------------

Run = tuple[str, Face]  # a stretch of text in one face


# A line may break at a space, or after a hyphen that a letter follows ("Костянтинопольська-|Вишневецька"),
# but not inside "UA-1P1-2021-0007" (UAX #14: no break between a hyphen and a digit).
BREAK_AFTER_HYPHEN = re.compile(r".+?-(?=[^\W\d_])|.+")


def wrap(runs: Sequence[Run], size: float, width: float) -> list[list[Run]]:
    """Greedy line breaking, as WeasyPrint does it for these letters; a word longer than a whole line
    breaks where it must rather than running past the margin."""
    lines: list[list[Run]] = [[]]
    used = 0.0
    for text, face in runs:
        space = face.width(" ", size)
        for index, word in enumerate(text.split(" ")):
            if index and lines[-1]:  # the space before this word
                if used + space > width:
                    lines.append([])
                    used = 0.0
                else:
                    lines[-1].append((" ", face))
                    used += space
            for part in BREAK_AFTER_HYPHEN.findall(word):
                while part:
                    fits = face.width(part, size)
                    if used + fits <= width:
                        lines[-1].append((part, face))
                        used += fits
                        break
                    if lines[-1] and fits <= width:  # the part starts the next line
                        lines.append([])
                        used = 0.0
                        continue
                    cut = _longest_prefix(part, face, size, width - used)
                    if cut == 0 and lines[-1]:
                        lines.append([])
                        used = 0.0
                        continue
                    cut = cut or 1
                    lines[-1].append((part[:cut], face))
                    lines.append([])
                    used = 0.0
                    part = part[cut:]
    for line in lines:
        while line and line[-1][0] == " ":
            line.pop()
    return [line for line in lines if line] or [[]]


def _longest_prefix(word: str, face: Face, size: float, width: float) -> int:
    used = 0.0
    for index, char in enumerate(word):
        used += face.width(char, size)
        if used > width:
            return index
    return len(word)


# Pages ------------------------------------------------------------------------------------------------


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


def _form_key(section: dict) -> tuple:
    return (
        section["language"],
        section["programme"],
        section["call_title"],
        section["donor"],
        section["signed_by"],
    )


@lru_cache(maxsize=16)
def _form(key: tuple) -> Form:
    language, programme, call_title, donor, signed_by = key
    section = {
        "language": language,
        "programme": programme,
        "call_title": call_title,
        "donor": donor,
        "signed_by": signed_by,
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


class Page:
    """One page's content stream, with a cursor measured from the top of the page."""

    def __init__(self, form: Form):
        self.form = form
        self.cursor = TOP
        self.ops: list[str] = []

    def room(self) -> float:
        return LAST - self.cursor

    def piece(self, name: str) -> None:
        piece = self.form.pieces[name]
        shift = piece.top - self.cursor
        self.ops.append(f"q 1 0 0 1 0 {shift:.3f} cm /{piece.resource} Do Q")
        self.cursor += piece.height

    def text(self, runs: Sequence[Run], x: float, top: float, size: float, color: str = INK) -> None:
        """One line of runs; `top` is the top of its CSS line box."""
        if not runs:
            return
        baseline = PAGE_HEIGHT - top - max(face.baseline(size) for _, face in runs)
        parts = [f"BT {color} rg {x:.3f} {baseline:.3f} Td"]
        for text, face in runs:
            parts.append(f"/{face.resource} {size:g} Tf <{face.encode(text)}> Tj")
        parts.append("ET")
        self.ops.append(" ".join(parts))

    def paragraph(self, runs: Sequence[Run], x: float, top: float, width: float, size: float, color=INK) -> float:
        """Wrapped lines from `top`; returns the height they take."""
        lines = wrap(runs, size, width)
        for number, line in enumerate(lines):
            self.text(line, x, top + number * size * LINE_HEIGHT, size, color)
        return len(lines) * size * LINE_HEIGHT

    def rule(self, x1: float, x2: float, y: float, thickness: float, color: str) -> None:
        y = PAGE_HEIGHT - y
        self.ops.append(f"q {color} RG {thickness:g} w {x1:.3f} {y:.3f} m {x2:.3f} {y:.3f} l S Q")

    def image(self, resource: str, x: float, top: float, size: float) -> None:
        self.ops.append(f"q {size:.3f} 0 0 {size:.3f} {x:.3f} {PAGE_HEIGHT - top - size:.3f} cm /{resource} Do Q")

    def content(self) -> bytes:
        return "\n".join(self.ops).encode("ascii")


class Section:
    """One language section of a letter: its pages, filled from the top, a new page where a block does not fit."""

    def __init__(self, form: Form):
        self.form = form
        self.pages = [Page(form)]

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def fit(self, height: float) -> Page:
        if height > LAST - TOP:
            raise Unfit("A block of the letter is taller than a page.")
        if height > self.page.room():
            self.pages.append(Page(self.form))
        return self.page

    def piece(self, name: str) -> float:
        """Place a piece; returns where it starts."""
        page = self.fit(self.form.pieces[name].height)
        top = page.cursor
        page.piece(name)
        return top


def _compose_section(form: Form, section: dict, regular: Face, bold: Face) -> list[Page]:
    sheet = Section(form)
    sheet.piece("head")
    _parties(sheet, section, regular, bold)
    sheet.piece("intro")
    _grant(sheet, section, regular, bold)
    sheet.piece("equipment")
    _rows(sheet, section["equipment"], regular, bold)
    sheet.piece("contribution")
    _rows(sheet, section["contribution"], regular, bold)
    sheet.piece("conditions")
    closing = sheet.piece("closing")
    _verification(sheet.page, closing, section, regular, bold)
    for page in sheet.pages:
        page.text([(section["footer"], regular)], LEFT, LAST + 3 * MM, 7, FOOTER_GREY)
    return sheet.pages


def _parties(sheet: Section, section: dict, regular: Face, bold: Face) -> None:
    """`.parties`: the outgoing numbers on the left (52 %), the addressee from 54 %, 5 mm below the head."""
    size, line = 9, 9 * LINE_HEIGHT
    left_width, right_x = WIDTH * 0.52, LEFT + WIDTH * 0.54
    right_width = WIDTH - WIDTH * 0.54
    outgoing = [wrap([(text, regular)], size, left_width) for text in section["outgoing"]]
    addressee = [wrap([(f"{section['applicant_label']}: ", regular), (section["full_name"], bold)], size, right_width)]
    addressee += [wrap([(text, regular)], size, right_width) for text in section["address"]]
    left_lines = [line_runs for block in outgoing for line_runs in block]
    right_lines = [line_runs for block in addressee for line_runs in block]
    page = sheet.fit(5 * MM + max(len(left_lines), len(right_lines)) * line)
    top = page.cursor + 5 * MM
    for number, runs in enumerate(left_lines):
        page.text(runs, LEFT, top + number * line, size, GREY)
    for number, runs in enumerate(right_lines):
        page.text(runs, right_x, top + number * line, size)
    page.cursor = top + max(len(left_lines), len(right_lines)) * line


def _grant(sheet: Section, section: dict, regular: Face, bold: Face) -> None:
    """`.grant` (11 pt bold, navy, 2 mm above) and `.words` (2 mm below)."""
    grant = wrap([(f"{section['grant_label']}: {section['grant']}", bold)], 11, WIDTH)
    words = wrap([(f"({section['grant_words']})", regular)], 9, WIDTH)
    page = sheet.fit(2 * MM + len(grant) * 11 * LINE_HEIGHT + len(words) * 9 * LINE_HEIGHT + 2 * MM)
    top = page.cursor + 2 * MM
    for runs in grant:
        page.text(runs, LEFT, top, 11, NAVY)
        top += 11 * LINE_HEIGHT
    for runs in words:
        page.text(runs, LEFT, top, 9)
        top += 9 * LINE_HEIGHT
    page.cursor = top + 2 * MM


def _rows(sheet: Section, rows: Sequence[Row], regular: Face, bold: Face) -> None:
    """`.rows` of `.row`: 8.5 pt, padding 0.6 mm above and below and 24 mm on the right where the amount
    stands; a hairline under each, a rule over a total; 2 mm after the table."""
    size, pad = 8.5, 0.6 * MM
    for row in rows:
        face = bold if row.strong else regular
        lines = wrap([(row.text, face)], size, WIDTH - 24 * MM)
        above, below = (0.75, 0.0) if row.strong else (0.0, 0.5)
        page = sheet.fit(above + pad + len(lines) * size * LINE_HEIGHT + pad + below)
        top = page.cursor
        if above:
            page.rule(LEFT, LEFT + WIDTH, top + above / 2, above, RULE)
        text_top = top + above + pad
        for number, runs in enumerate(lines):
            page.text(runs, LEFT, text_top + number * size * LINE_HEIGHT, size)
        page.text([(row.amount, face)], LEFT + WIDTH - face.width(row.amount, size), text_top, size)
        bottom = text_top + len(lines) * size * LINE_HEIGHT + pad
        if below:
            page.rule(LEFT, LEFT + WIDTH, bottom + below / 2, below, HAIRLINE)
        page.cursor = bottom + below
    page = sheet.page
    page.cursor = min(page.cursor + 2 * MM, LAST)


def _verification(page: Page, closing_top: float, section: dict, regular: Face, bold: Face) -> None:
    """`.verification`: right of the signature, 62 % wide; the QR code (24 mm) then the code, the words
    and the URL (8 pt, 7.5 pt), 5 mm below the top of `.closing`."""
    top = closing_top + 5 * MM
    box = LEFT + WIDTH * 0.38
    page.image("QR", box, top, 24 * MM)
    x, width = box + 26 * MM, WIDTH * 0.62 - 26 * MM
    top += page.paragraph([(f"{section['verification_label']}: ", regular), (section["code"], bold)], x, top, width, 8)
    top += 1 * MM
    top += page.paragraph([(section["check_label"], regular)], x, top, width, 8) + 1 * MM
    url = wrap([(section["url"], regular)], 7.5, width)
    for number, runs in enumerate(url):
        page.text(runs, x, top + number * 7.5 * LINE_HEIGHT, 7.5)


# Documents --------------------------------------------------------------------------------------------


def qr_image(url: str) -> tuple[int, bytes]:
    """The QR code of `url` as a 1-bit image of one pixel a module, quiet zone included (the same pixels
    as `grants.letters.documents.qr_png`), which the page scales up without smoothing: (width, packed rows)."""
    matrix = qr_code(url).matrix
    size = len(matrix) + 2 * QR_BORDER
    quiet = "1" * QR_BORDER
    padding = "1" * (-size % 8)
    rows = [quiet + "".join("0" if dark else "1" for dark in row) + quiet + padding for row in matrix]
    blank = "1" * (size + len(padding))
    data = bytearray()
    for bits in [blank] * QR_BORDER + rows + [blank] * QR_BORDER:
        data += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return size, bytes(data)


@dataclass(frozen=True)
class Template:
    """What every letter with these forms shares, serialized once: the faces and each language's pieces,
    as numbered PDF objects ready to be copied into a letter's file byte for byte."""

    header: bytes
    body: bytes  # the shared objects, one after the other
    offsets: dict[int, int]  # object number → its offset in `body`
    size: int  # one past the highest object number used
    xobjects: tuple[str, ...]  # per language: the XObject entries of its page resources
    fonts: int  # the object number of the font dictionary


@lru_cache(maxsize=16)
def _template(keys: tuple[tuple, ...]) -> Template:
    regular, bold = _faces()
    pdf = pikepdf.new()
    fonts = pdf.make_indirect(pikepdf.Dictionary(FR=_font_object(pdf, regular), FB=_font_object(pdf, bold)))
    for key in keys:
        form = _form(key)
        source = pikepdf.open(io.BytesIO(form.pdf))
        xobjects = pikepdf.Dictionary()
        for index, piece in enumerate(form.pieces.values()):
            xobjects[f"/{piece.resource}"] = pdf.copy_foreign(source.pages[index].as_form_xobject())
        pdf.add_blank_page(page_size=(PAGE_WIDTH, PAGE_HEIGHT))
        pdf.pages[-1].Resources = pikepdf.Dictionary(Font=fonts, XObject=pdf.make_indirect(xobjects))
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable, static_id=True)
    raw = buffer.getvalue()
    saved = pikepdf.open(io.BytesIO(raw))
    # The blank pages, their tree and the catalogue are the template's own; every letter writes its own.
    skipped = {saved.Root.objgen[0], saved.Root.Pages.objgen[0], *(page.objgen[0] for page in saved.pages)}
    if "/Info" in saved.trailer:
        skipped.add(saved.trailer.Info.objgen[0])
    xobjects_by_language = tuple(
        " ".join(f"{name} {value.objgen[0]} 0 R" for name, value in page.Resources.XObject.items())
        for page in saved.pages
    )
    fonts_number = saved.pages[0].Resources.Font.objgen[0]
    starts = _xref(raw)
    ends = sorted(starts.values()) + [raw.rindex(b"xref")]
    end_of = dict(zip(sorted(starts.values()), ends[1:], strict=True))
    body, offsets = bytearray(), {}
    for number, start in sorted(starts.items()):
        if number not in skipped:
            offsets[number] = len(body)
            body += raw[start : end_of[start]]
    first = min(starts.values())
    return Template(
        header=raw[:first],
        body=bytes(body),
        offsets=offsets,
        size=max(starts) + 1,
        xobjects=xobjects_by_language,
        fonts=fonts_number,
    )


def _xref(raw: bytes) -> dict[int, int]:
    """Object number → byte offset, from the classic cross-reference table qpdf writes without object streams."""
    start = int(raw[raw.rindex(b"startxref") + 9 :].split()[0])
    lines = raw[start:].split(b"\n")
    if lines[0].strip() != b"xref":
        raise RuntimeError("The letter template has no classic cross-reference table.")
    first, count = (int(part) for part in lines[1].split())
    offsets = {}
    for index, line in enumerate(lines[2 : 2 + count]):
        offset, _, kind = line.split()[:3]
        if kind == b"n" and first + index:
            offsets[first + index] = int(offset)
    return offsets


def _pdf_text(value: str) -> str:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


class Writer:
    """A letter's PDF file: the template's objects, then the letter's own, then the cross-reference table."""

    def __init__(self, template: Template):
        self.template = template
        self.chunks = [template.header, template.body]
        self.length = len(template.header) + len(template.body)
        self.offsets = {number: len(template.header) + offset for number, offset in template.offsets.items()}
        self.next = template.size

    def reserve(self) -> int:
        self.next += 1
        return self.next - 1

    def add(self, number: int, body: bytes) -> int:
        data = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        self.offsets[number] = self.length
        self.chunks.append(data)
        self.length += len(data)
        return number

    def stream(self, dictionary: str, data: bytes, *, compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 6)
            dictionary += " /Filter /FlateDecode"
        body = b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary.encode("ascii"), len(data), data)
        return self.add(self.reserve(), body)

    def finish(self, root: int, info: int, file_id: str) -> bytes:
        size = self.next
        free = [number for number in range(1, size) if number not in self.offsets]
        table = [b"xref\n0 %d\n" % size]
        chain = [*free, 0]
        table.append(b"%010d 65535 f\r\n" % chain[0])
        following = dict(zip(free, chain[1:], strict=True))
        for number in range(1, size):
            if number in self.offsets:
                table.append(b"%010d 00000 n\r\n" % self.offsets[number])
            else:
                table.append(b"%010d 00001 f\r\n" % following[number])
        trailer = f"<< /Size {size} /Root {root} 0 R /Info {info} 0 R /ID [<{file_id}> <{file_id}>] >>"
        self.chunks += table
        self.chunks.append(b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (trailer.encode("ascii"), self.length))
        return b"".join(self.chunks)


def compose_award_letter(letter: LetterFigures) -> bytes:
    """The award letter as one PDF: each language's pieces placed and its own text drawn over them."""
    if letter.kind != LetterKind.AWARD:
        raise Unfit("Only award letters are composed.")
    regular, bold = _faces()
    sections = [letter_section(letter, language) for language in letter.languages]
    keys = tuple(_form_key(section) for section in sections)
    composed = [
        _compose_section(_form(key), section, regular, bold) for key, section in zip(keys, sections, strict=True)
    ]
    template = _template(keys)
    pdf = Writer(template)
    width, pixels = qr_image(letter.verify_url)
    qr = pdf.stream(
        f"/Type /XObject /Subtype /Image /Width {width} /Height {width} /ColorSpace /DeviceGray /BitsPerComponent 1",
        pixels,
    )
    tree = pdf.reserve()
    kids = []
    for xobjects, pages in zip(template.xobjects, composed, strict=True):
        resources = f"<< /Font {template.fonts} 0 R /XObject << {xobjects} /QR {qr} 0 R >> >>"
        for page in pages:
            contents = pdf.stream("", page.content())
            kids.append(
                pdf.add(
                    pdf.reserve(),
                    (
                        f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {PAGE_WIDTH:.4f} {PAGE_HEIGHT:.4f}] "
                        f"/Resources {resources} /Contents {contents} 0 R >>"
                    ).encode("ascii"),
                )
            )
    pdf.add(tree, f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] /Count {len(kids)} >>".encode())
    root = pdf.add(pdf.reserve(), f"<< /Type /Catalog /Pages {tree} 0 R /Lang ({letter.languages[0]}) >>".encode())
    info = " ".join(f"/{key} {_pdf_text(value)}" for key, value in letter_metadata(letter).items())
    info_number = pdf.add(pdf.reserve(), f"<< {info} >>".encode("ascii"))
    file_id = hashlib.md5(f"{letter.verification_code}/{letter.version}".encode(), usedforsecurity=False).hexdigest()
    return pdf.finish(root, info_number, file_id)


@dataclass
class Rendered:
    pdfs: list[bytes]
    composed: int  # how many of them were composed; the rest were laid out in full


def render_letters_counted(letters: Sequence[LetterFigures]) -> Rendered:
    pdfs: list[bytes | None] = [None] * len(letters)
    rest: list[int] = []
    for index, letter in enumerate(letters):
        if letter.kind == LetterKind.AWARD and settings.LETTER_COMPOSE:
            try:
                pdfs[index] = compose_award_letter(letter)
                continue
            except Unfit as reason:
                logger.info("Award letter %s laid out in full: %s", letter.number, reason)
        rest.append(index)
    for index, pdf in zip(rest, render_flow([letters[index] for index in rest]), strict=True):
        pdfs[index] = pdf
    return Rendered(pdfs=pdfs, composed=len(letters) - len(rest))


def render_letters(letters: Sequence[LetterFigures]) -> list[bytes]:
    """One PDF per letter, in order: award letters composed, the others (and what cannot be composed)
    laid out in full by WeasyPrint, many in one pass."""
    return render_letters_counted(letters).pdfs
