"""The PDF of a submitted plan version, for the applicant, programme staff and the assigned consultant."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from applications.audit.services import access_log
from plans.models import PlanVersion

from .documents import pdf_filename
from .tasks import plan_pdf_render

# How often the "being prepared" page reloads itself, in seconds.
PENDING_REFRESH_SECONDS = 3


@login_required
def plan_pdf_download(request, pk: int):
    """Serve the stored PDF as an attachment; until it exists, queue its rendering and show a page that
    reloads itself. Anyone without `plans.view_plan` on the application, and every draft, gets a 404."""
    version = get_object_or_404(PlanVersion.objects.select_related("plan__application"), pk=pk)
    application = version.plan.application
    if version.is_draft or not request.user.has_perm("plans.view_plan", application):
        raise Http404
    if not version.pdf:
        # Safe to queue on every reload: the task does nothing once the file is stored.
        plan_pdf_render.delay(version.pk)
        response = render(
            request,
            "plans/pdf_pending.html",
            {"version": version, "application": application, "refresh_seconds": PENDING_REFRESH_SECONDS},
        )
        response["Cache-Control"] = "private, no-store"
        return response
    access_log(user=request.user, application=application, action="download_plan_pdf")
    response = FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=pdf_filename(version),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
