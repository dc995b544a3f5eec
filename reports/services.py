"""The reports' one write: the audit of an export, before its file leaves the server."""

import hashlib
from collections.abc import Iterable

from django.db import transaction

from applications.models import AccessLogEntry, Call

from .enums import ExportVariant
from .models import ExportRecord


@transaction.atomic
def export_record(
    *,
    user,
    kind: str,
    variant: str,
    file_format: str,
    call: Call | None,
    content: bytes,
    rows: int,
    applications: Iterable[int] = (),
    reason: str = "",
) -> ExportRecord:
    """Record who exported what and why; a full export also logs an access to each application it carries
    (applications.AccessLogEntry, action `export_<kind>`)."""
    record = ExportRecord.objects.create(
        user=user,
        kind=kind,
        variant=variant,
        file_format=file_format,
        call=call,
        reason=reason,
        rows=rows,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    if variant == ExportVariant.FULL:
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=user, application_id=pk, action=f"export_{kind}"[:40])
            for pk in sorted(set(applications))
        )
    return record
