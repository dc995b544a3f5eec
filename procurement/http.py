"""View helpers the after-award pages share (procurement and monitoring): form errors as messages, a safe
way back to the page a form was on, and private files served with the headers every download gets."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def report_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def back(request, default: str, *args):
    """To the page the form was on (`next`, a path on this site), or to `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, *args)


def private_file(file, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    response = FileResponse(
        file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
