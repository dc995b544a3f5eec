"""Calendar invitations (RFC 5545) for defense slots: pure text building, no sending."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import DefenseSlot

PRODID = "-//onepluone//Defense sessions//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value per RFC 5545 §3.3.11: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (§3.1): continuation lines start with a space, which counts
    towards their 75; a UTF-8 character is never split. Returned with its CRLF."""
    chunks, current, limit = [], b"", LINE_OCTETS
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            chunks.append(current)
            current, limit = b"", LINE_OCTETS - 1
        current += encoded
    chunks.append(current)
    return "\r\n ".join(chunk.decode() for chunk in chunks) + "\r\n"


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def slot_uid(slot: DefenseSlot) -> str:
    """Stable per slot, so a calendar updates rather than duplicates an event sent twice."""
    return f"slot-{slot.pk}@onepluone"


def invitation_ics(slot: DefenseSlot, *, method: str = "REQUEST") -> str:
    """A calendar with one event for the slot, in the active language: METHOD:REQUEST for the emailed
    invitation, PUBLISH for the file the applicant downloads from their page."""
    session = slot.session
    application = slot.application
    ends_at = slot.starts_at + timedelta(minutes=session.slot_minutes)
    location = session.venue or session.online_link
    summary = _("1+1: defense of your business plan %(reference)s") % {"reference": application.reference}
    description = "\n".join(
        part
        for part in (
            _("Defense of the business plan for application %(reference)s before the panel.")
            % {"reference": application.reference},
            _("Online link: %(link)s") % {"link": session.online_link} if session.online_link else "",
            _(
                "Bring: a short presentation of your plan, your identity document, the supplier quotes "
                "and the evidence of your own contribution."
            ),
        )
        if part
    )
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{slot_uid(slot)}",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"DTSTART:{utc_stamp(slot.starts_at)}",
        f"DTEND:{utc_stamp(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) for line in lines)
