"""DejaVu Sans and Sans Bold, subset once per process to the scripts letters are written in, measured by
their advance widths and embedded with a ToUnicode map, so a composed letter's text stays searchable and
copyable."""

import io
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont

from .geometry import LINE_HEIGHT, Unfit

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
        0x202F,  # narrow no-break space: the thousands separator of Ukrainian figures (common.money)
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
def face(style: str) -> Face:
    """The `regular` or `bold` face, subset on first use and kept for the life of the process."""
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


def faces() -> tuple[Face, Face]:
    return face("regular"), face("bold")


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


def font_object(pdf: pikepdf.Pdf, face: Face) -> pikepdf.Object:
    """`face` embedded in `pdf` as a Type 0 font (Identity-H, glyph ids as codes) with its ToUnicode map."""
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
