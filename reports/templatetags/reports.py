from django import template

from reports.display import spoken, write

register = template.Library()


@register.filter
def figure(cell) -> str:
    return write(cell)


@register.filter
def figure_spoken(cell) -> str:
    return spoken(cell)
