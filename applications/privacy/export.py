"""A person's copy of their data: one JSON file and every file they uploaded or were sent, in a ZIP."""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from ..audit.actions import AccessAction
from ..audit.services import access_log_own
from ..models import Application, ErasureRequest
from .registry import sources

APPLICATION_FIELDS = (
    "reference",
    "status",
    "language",
    "first_name",
    "last_name",
    "patronymic",
    "date_of_birth",
    "gender",
    "phone",
    "countries_abroad",
    "years_abroad",
    "still_abroad",
    "return_date",
    "migration_experience",
    "region",
    "hromada",
    "settlement",
    "sector",
    "idea_title",
    "idea_description",
    "own_contribution_amount",
    "own_contribution_currency",
    "priority_answers",
    "rejection_reason",
    "submitted_at",
    "created_at",
)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _application(application: Application) -> dict:
    data = {name: _plain(getattr(application, name)) for name in APPLICATION_FIELDS}
    data["call"] = application.call.title
    data["equipment"] = [
        {
            "name": item.name,
            "quantity": item.quantity,
            "unit_price": str(item.estimated_unit_price),
            "currency": item.currency,
        }
        for item in application.equipment.all()
    ]
    data["consents"] = [
        {
            "purpose": consent.notice.purpose,
            "notice_version": consent.notice.version,
            "given_at": _plain(consent.given_at),
            "withdrawn_at": _plain(consent.withdrawn_at),
        }
        for consent in application.consents.all()
    ]
    data["history"] = [
        {"from": change.from_status, "to": change.to_status, "at": _plain(change.created_at), "note": change.note}
        for change in application.status_changes.all()
    ]
    data["messages"] = [
        {"at": _plain(message.created_at), "body": message.body} for message in application.messages.all()
    ]
    for source in sources():
        data[source.name] = source.export(application)
    return data


def _folder(application: Application) -> str:
    return application.reference or f"draft-{application.pk}"


def personal_data_zip(user) -> tuple[bytes, str]:
    """The person's data as (ZIP bytes, file name); the download is written to the access log."""
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("call")
        .prefetch_related("equipment", "consents__notice", "status_changes", "messages")
        .order_by("created_at")
    )
    data = {
        "generated_at": _plain(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": _plain(user.date_joined),
        },
        "applications": [_application(application) for application in applications],
        "erasure_requests": [
            {"requested_at": _plain(r.requested_at), "status": r.status, "note": r.note, "outcome": r.outcome_note}
            for r in ErasureRequest.objects.filter(user=user)
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for application in applications:
            stored = [("evidence", application.migration_evidence)] if application.migration_evidence else []
            for source in sources():
                stored.extend(source.files(application))
            for label, field_file in stored:
                extension = field_file.name.rsplit(".", 1)[-1] if "." in field_file.name else "bin"
                try:
                    with field_file.open("rb") as handle:
                        archive.writestr(f"files/{_folder(application)}/{label}.{extension}", handle.read())
                except FileNotFoundError:
                    continue
    for application in applications or [None]:
        access_log_own(user=user, application=application, action=AccessAction.DATA_EXPORT)
    return buffer.getvalue(), f"my-data-{timezone.localdate():%Y-%m-%d}.zip"
