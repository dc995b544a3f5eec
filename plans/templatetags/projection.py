"""`{% projection_of version %}`: a submitted plan's 12-month projection on the plan and reviewer pages."""

from django import template

from plans.pdf.documents import projection_table

register = template.Library()


@register.inclusion_tag("plans/partials/projection.html")
def projection_of(version):
    return {"projection": projection_table(version) if version is not None and version.projection else None}
