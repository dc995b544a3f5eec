"""Writing the access log: the only code that creates AccessLogEntry rows (they are never changed)."""

from collections.abc import Iterable

from ..models import AccessLogEntry, Application


def _entry(*, user, application: Application | None, action: str, detail: str, reason: str) -> AccessLogEntry:
    return AccessLogEntry(
        user=user if user is not None and user.is_authenticated else None,
        application=application,
        reference=(application.reference or "") if application is not None else "",
        action=action,
        detail=detail[:200],
        reason=reason[:500],
    )


def access_log(*, user, application: Application, action: str, detail: str = "", reason: str = "") -> None:
    """Audit a view or download of personal data by anyone but the person it belongs to.

    `detail` says what exactly (a file, a version), `reason` why (asked for every export)."""
    if user is None or user.pk != application.applicant_id:
        _entry(user=user, application=application, action=action, detail=detail, reason=reason).save()


def access_log_many(
    *, user, applications: Iterable[Application], action: str, detail: str = "", reason: str = ""
) -> None:
    """Audit an export that carries several applicants' data: one row per application, in one query."""
    AccessLogEntry.objects.bulk_create(
        _entry(user=user, application=application, action=action, detail=detail, reason=reason)
        for application in applications
        if user is None or application.applicant_id != user.pk
    )


def access_log_own(*, user, application: Application | None, action: str, detail: str = "") -> None:
    """Audit what a person does with their own data (a copy of it downloaded), which access_log skips."""
    _entry(user=user, application=application, action=action, detail=detail, reason="").save()
