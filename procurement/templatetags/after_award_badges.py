"""Badge colours for the statuses of the after-award workflows (procurement and monitoring)."""

from django import template

register = template.Library()

# Bootstrap's contextual backgrounds, by status value (values are unique across these workflows' enums
# where they mean different things; "submitted" reads the same for proofs and reports).
TONES = {
    "to_order": "secondary",
    "ordered": "info",
    "delivered": "primary",
    "handed_over": "success",
    "cancelled": "dark",
    "none": "light",
    "pending": "warning",
    "confirmed": "success",
    "refused": "danger",
    "awaiting": "secondary",
    "submitted": "info",
    "verified": "success",
    "rejected": "danger",
    "ready": "success",
    "failed": "danger",
    "due": "warning",
    "returned": "danger",
    "accepted": "success",
    "open": "warning",
    "recover": "danger",
    "transfer": "info",
    "write_off": "dark",
    "dismissed": "secondary",
    "closed": "success",
}


@register.inclusion_tag("procurement/partials/badge.html")
def badge(status: str, label) -> dict:
    return {"status": status, "label": label, "tone": TONES.get(status, "secondary")}
