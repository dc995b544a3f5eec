"""A letter's own part, drawn over its pieces: parties, grant and words, equipment and contribution rows,
verification code, URL and QR code, and the page footer (`letter_section` says what they read).

Drawn in the sizes, colours and spacing of letter.css; text wraps by the fonts' advance widths, and a
piece or a row that does not fit starts a new page, as WeasyPrint would start one.
"""

from collections.abc import Sequence

from grants.letters.documents import Row

from .fonts import Face
from .geometry import (
    FOOTER_GREY,
    GREY,
    HAIRLINE,
    INK,
    LAST,
    LEFT,
    LINE_HEIGHT,
    MM,
    NAVY,
    PAGE_HEIGHT,
    RULE,
    TOP,
    WIDTH,
    Unfit,
)
from .pieces import Form
from .text import Run, wrap


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


def compose_section(form: Form, section: dict, regular: Face, bold: Face) -> list[Page]:
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
