"""Award letters composed from pieces: WeasyPrint lays out once what every award letter of a call says,
and each letter adds only what is its own, drawn straight into its PDF.

Why. One `HTML(...).write_pdf()` a letter costs about 0.23 s here, and laying many letters out in one
WeasyPrint pass saves little: past font loading and subsetting, WeasyPrint's layout and drawing cost
about 0.1 s a page, and a letter has a page in each language. But most of a page reads the same in every
award letter of a call: letterhead, title, headings, the 1+1 rule, the conditions, the signature.

How, module by module:
- `pieces`: the pieces of a letter every letter of a call shares, laid out by WeasyPrint once per process.
- `layout`: the letter's own part (parties, grant, rows, verification, footer) placed over the pieces,
  page by page, in the geometry of letter.css (`geometry`); `text` breaks its lines.
- `fonts`: DejaVu Sans and Sans Bold, subset once per process and embedded with a ToUnicode map, so the
  text stays searchable and copyable.
- `qr`: the verification QR code as an image; `writer`: the letter's file, written by pikepdf over a
  template of the objects every letter of these forms shares.

A letter composed costs a few milliseconds. What cannot be composed (a decline letter, a character the
subset lacks, no DejaVu font file) is laid out in full by WeasyPrint (grants.letters.documents.render_flow),
so every letter is rendered one way or the other, and `render_letters_counted` tells how many went
which way.

tests/grants/letters/test_compose.py holds the composed letter against WeasyPrint's layout of the same letter,
word by word, so this package and letter.css cannot drift apart unnoticed.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from grants.enums import LetterKind
from grants.letters.documents import LetterFigures, letter_section, render_flow

from .fonts import face, faces
from .geometry import Unfit
from .layout import compose_section
from .pieces import form, form_key
from .text import wrap
from .writer import template, write_letter

__all__ = ["Rendered", "Unfit", "compose_award_letter", "render_letters", "render_letters_counted", "wrap"]

logger = logging.getLogger(__name__)

_face = face  # the name the tests know the faces by


def compose_award_letter(letter: LetterFigures) -> bytes:
    """The award letter as one PDF: each language's pieces placed and its own text drawn over them."""
    if letter.kind != LetterKind.AWARD:
        raise Unfit("Only award letters are composed.")
    regular, bold = faces()
    sections = [letter_section(letter, language) for language in letter.languages]
    keys = tuple(form_key(section) for section in sections)
    composed = [compose_section(form(key), section, regular, bold) for key, section in zip(keys, sections, strict=True)]
    return write_letter(letter, template(keys), composed)


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
