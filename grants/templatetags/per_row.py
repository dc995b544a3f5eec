"""`{% per_row as name %}…{% end_per_row %}` and `{{ name|for_row:pk }}`: markup that every row of a list repeats
but for its id (its forms' URLs, its fields' ids), rendered once a page and filled in for each row.

The block is rendered with `pk` set to ROW_ID, a marker no rendered value can hold (a request's path and query
come percent-encoded, and the ids are numbers): each row's copy joins the pieces around it with the row's id.
Its output is the block's as a row would render it, at the cost of one filter a row instead of every tag in it.
"""

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
ROW_ID = "\x00row\x00"


@dataclass(frozen=True, slots=True)
class PerRow:
    pieces: list[str]


class PerRowNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        with context.push(pk=ROW_ID):
            rendered = self.nodelist.render(context)
        context[self.name] = PerRow(pieces=rendered.split(ROW_ID))
        return ""


@register.tag
def per_row(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% per_row as name %}…{% end_per_row %}")
    nodelist = parser.parse(("end_per_row",))
    parser.delete_first_token()
    return PerRowNode(nodelist, bits[2])


@register.filter
def for_row(block: PerRow, pk) -> SafeString:
    """The block of `{% per_row %}` with `pk` in the row id's places."""
    return mark_safe(str(int(pk)).join(block.pieces))  # noqa: S308 - pieces of a rendered (escaped) template
