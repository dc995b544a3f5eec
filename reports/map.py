"""The choropleth map of Ukraine by oblast, drawn on the server as SVG from the openly licensed outline
map in reports/data (see its README): each region filled by its figure's class, titled with its name and
figure, hidden figures hatched; the legend's swatches have a dark border (3:1 against the page) and its
text is dark on white; labels on the regions are black on light classes and white on dark ones (4.5:1).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from applications.enums import Region

SOURCE = Path(__file__).parent / "data" / "ukraine-oblasts.svg"
VIEWBOX = (0, 0, 1000, 670)
# The file's region ids and the programme's.
REGION_OF_ID = {
    "cherkasy": Region.CHERKASY,
    "chernihiv": Region.CHERNIHIV,
    "chernivtsi": Region.CHERNIVTSI,
    "crimea": Region.CRIMEA,
    "dnipropetrovsk": Region.DNIPROPETROVSK,
    "donetsk": Region.DONETSK,
    "ivano-frankivsk": Region.IVANO_FRANKIVSK,
    "kharkiv": Region.KHARKIV,
    "kherson": Region.KHERSON,
    "khmelnytskyi": Region.KHMELNYTSKYI,
    "kirovohrad": Region.KIROVOHRAD,
    "kyiv": Region.KYIV_OBLAST,
    "kyiv-city": Region.KYIV_CITY,
    "luhansk": Region.LUHANSK,
    "lviv": Region.LVIV,
    "mykolaiv": Region.MYKOLAIV,
    "odessa": Region.ODESA,
    "poltava": Region.POLTAVA,
    "rivne": Region.RIVNE,
    "sumy": Region.SUMY,
    "ternopil": Region.TERNOPIL,
    "vinnytsia": Region.VINNYTSIA,
    "volyn": Region.VOLYN,
    "zakarpattia": Region.ZAKARPATTIA,
    "zaporizhia": Region.ZAPORIZHZHIA,
    "zhytomyr": Region.ZHYTOMYR,
}
SEVASTOPOL = (632, 650)
# Where a region's figure is written: its centroid, moved where the centroid falls badly.
LABEL_AT = {Region.KYIV_OBLAST: (515, 240), Region.KYIV_CITY: (466, 178), Region.ODESA: (410, 430)}
# Sequential blues (ColorBrewer), light to dark, with the text colour that reads on each.
CLASSES = [
    ("#eff3ff", "#000000"),
    ("#c6dbef", "#000000"),
    ("#6baed6", "#000000"),
    ("#2171b5", "#ffffff"),
    ("#08306b", "#ffffff"),
]
EMPTY = "#ffffff"
BORDER = "#495057"


@dataclass(frozen=True)
class Shape:
    region: str
    path: str
    centroid: tuple[float, float]


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    text = SOURCE.read_text(encoding="utf-8")
    found = []
    for d, name_id in re.findall(r'<path\s+d="([^"]+)"\s+aria-label="[^"]+"\s+id="([^"]+)"', text):
        region = REGION_OF_ID[name_id]
        found.append(Shape(region, d, LABEL_AT.get(region) or _centroid(d)))
    return tuple(found)


def _centroid(d: str) -> tuple[float, float]:
    """The area centroid of the path's outline (absolute and relative moves and lines, as the file has)."""
    tokens = re.findall(r"[MmLlZz]|-?\d*\.?\d+", d)
    x = y = 0.0
    points = []
    command = "M"
    index = 0
    while index < len(tokens):
        part = tokens[index]
        if part in "MmLlZz":
            command = part
            index += 1
            continue
        a, b = float(tokens[index]), float(tokens[index + 1])
        index += 2
        if command in "Mm" and not points:
            x, y = (a, b) if command == "M" else (x + a, y + b)
            command = "l" if command == "m" else "L"
        elif command in "ML":
            x, y = a, b
        else:
            x, y = x + a, y + b
        points.append((x, y))
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    return (cx / (6 * area), cy / (6 * area))


def breaks(values: list[float], classes: int = len(CLASSES)) -> list[float]:
    """Upper bounds of the colour classes: equal steps from the smallest to the largest figure shown, or
    the distinct figures themselves when there are no more of them than classes."""
    shown = sorted({value for value in values if value > 0})
    if not shown:
        return []
    if len(shown) <= classes:
        return shown
    low, high = shown[0], shown[-1]
    step = (high - low) / classes
    return [low + step * (number + 1) for number in range(classes - 1)] + [high]


def class_of(value: float, bounds: list[float]) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound + 1e-9:
            return index
    return len(bounds) - 1


def colour_index(index: int, bounds: list[float]) -> int:
    """Spread fewer classes over the whole scale, so two classes are light and dark, not two lights."""
    if len(bounds) <= 1:
        return len(CLASSES) - 1
    return round(index * (len(CLASSES) - 1) / (len(bounds) - 1))


def choropleth(
    figures: dict[str, tuple[float, str, bool]], *, title: str, element_id: str, labels: bool = True
) -> SafeString:
    """`figures`: region -> (value for the colour, the figure as written, hidden?). With `labels`, each
    region shown carries its figure (for counts; amounts are too long to fit and stay in the titles)."""
    bounds = breaks([value for value, _text, hidden in figures.values() if not hidden])
    x0, y0, width, height = VIEWBOX
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{element_id}-title {element_id}-desc" class="d-block" focusable="false">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(_("Map of Ukraine by oblast; the table below gives every figure."))}'
        "</desc>",
        '<defs><pattern id="hidden-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#6c757d" stroke-width="3"/></pattern></defs>',
    ]
    texts = []
    for shape in shapes():
        fill, ink, text, label = _look(figures.get(shape.region), bounds)
        name = str(Region(shape.region).label)
        parts.append(
            f'<path d="{shape.path}" fill="{fill}" stroke="{BORDER}" stroke-width="1" data-region="{shape.region}">'
            f"<title>{escape(name)}: {escape(text)}</title></path>"
        )
        if label and labels:
            texts.append(_label(shape.centroid, text, ink))
    fill, ink, text, label = _look(figures.get(Region.SEVASTOPOL), bounds)
    name = str(Region.SEVASTOPOL.label)
    parts.append(
        f'<circle cx="{SEVASTOPOL[0]}" cy="{SEVASTOPOL[1]}" r="9" fill="{fill}" stroke="{BORDER}" stroke-width="2" '
        f'data-region="{Region.SEVASTOPOL}"><title>{escape(name)}: {escape(text)}</title></circle>'
    )
    parts.extend(texts)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _look(figure, bounds) -> tuple[str, str, str, bool]:
    if figure is None:
        return EMPTY, "#000000", "0", False
    value, text, hidden = figure
    if hidden:
        return "url(#hidden-hatch)", "#000000", text, False
    if value <= 0 or not bounds:
        return EMPTY, "#000000", text, False
    fill, ink = CLASSES[colour_index(class_of(value, bounds), bounds)]
    return fill, ink, text, True


def _label(at: tuple[float, float], text: str, ink: str) -> str:
    x, y = at
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle" dominant-baseline="middle" font-size="18" '
        f'font-weight="bold" fill="{ink}" aria-hidden="true">{escape(text)}</text>'
    )


def legend(figures: dict[str, tuple[float, str, bool]], fmt) -> list[dict]:
    """The legend's colour classes, lightest first: each with the figures it stands for."""
    values = [value for value, _text, hidden in figures.values() if not hidden]
    bounds = breaks(values)
    distinct = len({value for value in values if value > 0}) <= len(CLASSES)
    entries = []
    for index, bound in enumerate(bounds):
        fill, _ink = CLASSES[colour_index(index, bounds)]
        text = fmt(bound) if distinct else _("up to %(figure)s") % {"figure": fmt(bound)}
        entries.append({"fill": fill, "text": text})
    return entries
