"""Reads about a person's own data: their consents, their erasure requests.

`consented(application, purpose)` is THE test for whether an application's data may be used for a purpose:
every report, export or publication that uses data for a purpose other than running the application
itself (sharing with the donor, photos and stories, monitoring contacts) must ask it, or filter with
`applications_consenting(queryset, purpose)` for many applications at once. A withdrawal takes effect
at once: a withdrawn consent no longer counts, whatever version of the notice it was given under.
"""

from django.db.models import Exists, OuterRef, QuerySet

from applications.enums import ConsentPurpose
from applications.models import Application, Consent, ConsentNotice, ErasureRequest

from ..selectors import consent_notices_current


def consented(application: Application, purpose: str) -> bool:
    """Whether the applicant's consent to `purpose` (a ConsentPurpose) is in force for this application.

    In force: given under any version of the purpose's notice and not withdrawn since. An anonymised
    application has no consent in force."""
    if application.anonymised_at is not None:
        return False
    return Consent.objects.filter(application=application, notice__purpose=purpose, withdrawn_at__isnull=True).exists()


def applications_consenting(queryset: QuerySet[Application], purpose: str) -> QuerySet[Application]:
    """The applications of `queryset` whose consent to `purpose` is in force (see `consented`), in one query."""
    in_force = Consent.objects.filter(application=OuterRef("pk"), notice__purpose=purpose, withdrawn_at__isnull=True)
    return queryset.filter(Exists(in_force), anonymised_at__isnull=True)


def latest_notices() -> dict[str, ConsentNotice]:
    return {notice.purpose: notice for notice in consent_notices_current()}


def consent_overview(user) -> list[dict]:
    """For the person's "My data" page: each application (not anonymised) with every purpose's state."""
    notices = latest_notices()
    applications = list(
        Application.objects.filter(applicant=user, anonymised_at__isnull=True)
        .select_related("call")
        .prefetch_related("consents__notice")
        .order_by("-created_at")
    )
    overview = []
    for application in applications:
        rows = []
        for purpose in ConsentPurpose:
            notice = notices.get(purpose.value)
            if notice is None:
                continue
            given = [c for c in application.consents.all() if c.notice.purpose == purpose.value]
            active = next((c for c in given if c.withdrawn_at is None), None)
            withdrawn = max((c for c in given if c.withdrawn_at), key=lambda c: c.withdrawn_at, default=None)
            rows.append(
                {
                    "purpose": purpose,
                    "notice": notice,
                    "active": active,
                    "withdrawn": withdrawn if active is None else None,
                    "required": notice.required,
                }
            )
        overview.append({"application": application, "purposes": rows})
    return overview


def erasure_requests_of(user) -> list[ErasureRequest]:
    return list(ErasureRequest.objects.filter(user=user).order_by("-requested_at"))


def erasure_queue() -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.select_related("user", "decided_by").order_by("status", "requested_at")
