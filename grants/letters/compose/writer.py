"""A composed letter's PDF file, written by pikepdf (qpdf).

What every letter with the same forms shares (the two faces and each language's pieces as Form XObjects)
is built once per process as a small PDF, the `Template`, and kept open. A letter's file is a new PDF:
the shared objects copied from the template, then the letter's own pages, its QR code and its document
information; qpdf numbers the objects and writes the cross-reference table. The template's streams are
compressed once, when it is built, and copied into each letter as they are.
"""

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pikepdf

from grants.letters.documents import LetterFigures, set_metadata

from .fonts import faces, font_object
from .geometry import PAGE_HEIGHT, PAGE_WIDTH
from .layout import Page
from .pieces import form
from .qr import qr_image


@dataclass(frozen=True)
class Template:
    """The objects letters with these forms share, in an open PDF of one page per language (in the
    order of the forms' keys) whose resources hold the fonts and that language's pieces. Read, never
    changed: letters copy from it."""

    pdf: pikepdf.Pdf


@lru_cache(maxsize=16)
def template(keys: tuple[tuple, ...]) -> Template:
    regular, bold = faces()
    pdf = pikepdf.new()
    fonts = pdf.make_indirect(pikepdf.Dictionary(FR=font_object(pdf, regular), FB=font_object(pdf, bold)))
    for key in keys:
        language = form(key)
        source = pikepdf.open(io.BytesIO(language.pdf))
        xobjects = pikepdf.Dictionary()
        for index, piece in enumerate(language.pieces.values()):
            xobjects[f"/{piece.resource}"] = pdf.copy_foreign(source.pages[index].as_form_xobject())
        pdf.add_blank_page(page_size=(PAGE_WIDTH, PAGE_HEIGHT))
        pdf.pages[-1].Resources = pikepdf.Dictionary(Font=fonts, XObject=pdf.make_indirect(xobjects))
    # Saved and opened again: the template stands alone, its streams compressed once for every letter.
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable, static_id=True)
    return Template(pdf=pikepdf.open(buffer))


def write_letter(letter: LetterFigures, template: Template, sections: Sequence[Sequence[Page]]) -> bytes:
    """The letter's file: each language's composed pages (`sections`, in the template's order) over its pieces."""
    shared = template.pdf
    pdf = pikepdf.new()
    width, pixels = qr_image(letter.verify_url)
    qr = pdf.make_stream(
        pixels,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=width,
        Height=width,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=1,
    )
    fonts = pdf.copy_foreign(shared.pages[0].Resources.Font)
    for language, pages in zip(shared.pages, sections, strict=True):
        xobjects = pikepdf.Dictionary(dict(pdf.copy_foreign(language.Resources.XObject).items()))
        xobjects.QR = qr
        resources = pdf.make_indirect(pikepdf.Dictionary(Font=fonts, XObject=xobjects))
        for page in pages:
            contents = pdf.make_stream(page.content())
            pdf.pages.append(
                pikepdf.Page(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Page,
                        MediaBox=[0, 0, PAGE_WIDTH, PAGE_HEIGHT],
                        Resources=resources,
                        Contents=contents,
                    )
                )
            )
    set_metadata(pdf, letter)
    # qpdf keeps the first half of the file identifier, which names the letter's version, and derives the
    # second from the content, so the same letter is the same file.
    file_id = pikepdf.String(
        hashlib.md5(f"{letter.verification_code}/{letter.version}".encode(), usedforsecurity=False).digest()
    )
    pdf.trailer.ID = pikepdf.Array([file_id, file_id])
    buffer = io.BytesIO()
    pdf.save(
        buffer,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
    )
    return buffer.getvalue()
