"""How long a session lasts: staff 30 minutes idle and 12 hours in all, applicants SESSION_COOKIE_AGE.

Two timestamps in the session say when its user signed in and when they were last seen. Being seen
is written at most once a minute, so a page does not cost a session write per request (an idle
timeout is exact to that minute). A GET that htmx sends by itself (the letters' progress bar, the
chair's live panel, polling every few seconds) is not activity: a page left open does not keep a
staff session alive.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .roles import requires_second_factor

SIGNED_IN_AT = "onepluone_signed_in_at"
SEEN_AT = "onepluone_seen_at"
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    if requires_second_factor(user):
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


def staff_session_expired(session, *, now: float) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return False
    seen_at = session.get(SEEN_AT, signed_in_at)
    return (
        now - seen_at > settings.STAFF_SESSION_IDLE_SECONDS
        or now - signed_in_at > settings.STAFF_SESSION_ABSOLUTE_SECONDS
    )


class StaffSessionMiddleware:
    """Signs staff out once their session is idle or old (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and requires_second_factor(user):
            now = time.time()
            session = request.session
            if SIGNED_IN_AT not in session:  # a session from before these rules: its clock starts now
                session[SIGNED_IN_AT] = session[SEEN_AT] = now
            if staff_session_expired(session, now=now):
                return self._sign_out(request)
            polled = getattr(request, "htmx", False) and request.method == "GET"
            if not polled and now - session.get(SEEN_AT, now) >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
            if session.get_expiry_age() > settings.STAFF_SESSION_IDLE_SECONDS:
                session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)

    def _sign_out(self, request):
        next_path = request.get_full_path()
        logout(request)
        url = f"{reverse('account_login')}?{urlencode({'next': next_path})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        messages.info(request, _("Your session has ended. Please sign in again."))
        return redirect(url)
