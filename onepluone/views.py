from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from accounts.roles import Role, has_role, user_roles
from applications import selectors
from applications.enums import NEXT_STEP
from common.page_cache import cached_page
from grants.letters.selectors import attach_ready_letters
from onepluone.celery import app as celery_app
from plans.consultations.selectors import consultants_of
from reviews.sessions.selectors import applicant_defenses


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


# The dashboard sits above the apps: each role lands on its own home, and the applicant's lists what every
# stage of the journey has for them (applications, then their letters; later stages add theirs here).
@login_required
@cached_page
def dashboard(request):
    if has_role(request.user, Role.PROGRAMME_OFFICER, Role.APPROVER):
        return redirect("staff:dashboard")
    if has_role(request.user, Role.CONSULTANT) and not has_role(request.user, Role.APPLICANT):
        return redirect("consultations:home")
    if has_role(request.user, Role.REVIEWER) and not has_role(request.user, Role.APPLICANT):
        return redirect("reviewing:home")
    if not has_role(request.user, Role.APPLICANT):
        return render(request, "applications/role_home.html", {"roles": sorted(user_roles(request.user))})
    applications = list(selectors.applications_of_applicant(request.user))
    attach_ready_letters(applications)
    ids = [application.pk for application in applications]
    defenses, consultants = applicant_defenses(ids), consultants_of(ids)
    for application in applications:
        application.next_step = NEXT_STEP[application.status]
        application.defense = defenses.get(application.pk)
        application.consultant = consultants.get(application.pk)
    return render(
        request,
        "applications/dashboard.html",
        {"applications": applications, "calls": selectors.calls_public()},
    )


def help_page(request):
    """Where to get help: emails say replies are not read (unless REPLY_TO_EMAIL is set) and link here."""
    return render(
        request,
        "help.html",
        {"help_email": settings.HELP_EMAIL, "help_phone": settings.HELP_PHONE, "reply_to": settings.REPLY_TO_EMAIL},
    )
