"""The geometry and colours of letter.css, in PDF points, and the one way composing gives up.

1 mm = 72 / 25.4 pt and 1 CSS px = 0.75 pt. Positions are measured from the top of the page, as CSS
measures them; the drawing turns them into PDF's bottom-up coordinates.
"""

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


class Unfit(Exception):
    """This letter cannot be composed; WeasyPrint lays it out in full instead."""
