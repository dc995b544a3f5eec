from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from onepluone.celery import app as celery_app


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        return f"error: {error.__class__.__name__}"
    return "ok"


def healthz(request):
    """200 while the database answers; the broker's state is reported, not fatal."""
    database = _database_state()
    body = {"database": database, "broker": _broker_state()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


def help_page(request):
    """Where to get help: emails say replies are not read (unless REPLY_TO_EMAIL is set) and link here."""
    return render(
        request,
        "help.html",
        {"help_email": settings.HELP_EMAIL, "help_phone": settings.HELP_PHONE, "reply_to": settings.REPLY_TO_EMAIL},
    )
