"""Reading the access log: the search behind the auditors' page."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from ..models import AccessLogEntry


def access_log_search(
    *, user=None, reference: str = "", action: str = "", since=None, until=None
) -> QuerySet[AccessLogEntry]:
    """Entries newest first, filtered; `since` and `until` are dates, both days included (Kyiv time)."""
    entries = AccessLogEntry.objects.select_related("user").order_by("-at", "-pk")
    if user is not None:
        entries = entries.filter(user=user)
    if reference.strip():
        entries = entries.filter(reference__iexact=reference.strip())
    if action:
        entries = entries.filter(action=action)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        entries = entries.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return entries


def access_log_people():
    """Everyone who appears in the log, for the search form's list."""
    ids = AccessLogEntry.objects.exclude(user=None).values("user_id").distinct()
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "email")
