"""What every view does the same way: ask for a permission, report a form's errors, go back, act and say so."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .exceptions import ServiceError


def perm_required(perm: str):
    """Anonymous visitors go to the login page; signed-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def report_form_errors(request, form) -> None:
    """Every error of a bound form (and of a formset's forms) as a message on the next page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def local_path(value: str) -> str | None:
    """`value` if it is a path on this site ("/uk/staff/..."), else None: no scheme, no host, no `//`."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(character) < 32 or character == "\\" for character in value):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else None


def redirect_back(request, default: str, *args, **kwargs):
    """Back to the page the form was on (`next` in the POST, when it is a local path), or to `default`."""
    target = local_path(request.POST.get("next", ""))
    return redirect(target) if target else redirect(resolve_url(default, *args, **kwargs))


def act_and_report(request, action: Callable[[], object], success: str | Callable[[object], str] | None = None) -> bool:
    """Run a service call: its refusal becomes an error message, its success the `success` message (a text,
    or a function of what the call returned; none without). Returns whether the call went through."""
    try:
        # The call and its message are one unit: if composing the message fails, nothing stays written.
        with transaction.atomic():
            result = action()
            text = None if success is None else (success(result) if callable(success) else success)
    except ServiceError as error:
        messages.error(request, error.message)
        return False
    if text is not None:
        messages.success(request, text)
    return True


URL_ID = "2147483647"  # the id a pattern is reversed with, for the template filter `with_id` to replace


def url_with_id(name: str) -> str:
    """The path of the URL `name` (one `<int:...>` argument) with URL_ID in the id's place: a list page
    reverses each of its rows' URLs once, and `{{ urls.name|with_id:row.pk }}` fills each row's in."""
    return reverse(name, args=[int(URL_ID)])
