"""Line breaking by the fonts' advance widths, as WeasyPrint breaks the lines of these letters."""

import re
from collections.abc import Sequence

from .fonts import Face

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
