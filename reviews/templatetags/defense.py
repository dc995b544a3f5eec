"""`{% defense_for_applicant application %}`: the applicant's defense slot on their application page.

The applications app sits below reviews and cannot read slots; this tag, loaded by name in the template,
brings them in from above, as plans' `consultations_for_applicant` does for consultations."""

from django import template

from reviews.sessions.selectors import applicant_defenses

register = template.Library()


@register.inclusion_tag("reviews/partials/applicant_defense.html")
def defense_for_applicant(application, defense=None):
    """One query, unless the caller (the dashboard) passes the defense it already read."""
    if defense is None:
        defense = applicant_defenses([application.pk]).get(application.pk)
    return {"application": application, "defense": defense}
