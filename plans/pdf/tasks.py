import hashlib

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from plans.models import PlanVersion

from .documents import pdf_filename, render_plan_pdf


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=6)
def plan_pdf_render(version_id: int) -> bool:
    """Render and store the PDF of a submitted (or returned) plan version, once; returns whether it stored one.

    A draft has no PDF. A version's PDF is never rewritten: once `pdf` is set, a run does nothing. The
    rendering (a second or so) happens before taking the row lock, so it never holds up other writes to
    the version; two concurrent runs may both render, but under the lock only the first stores a file.
    """
    version = (
        PlanVersion.objects.select_related("plan__application__call__programme")
        .prefetch_related("equipment_lines", "contribution_lines")
        .filter(pk=version_id)
        .first()
    )
    if version is None or version.is_draft or version.pdf:
        return False
    content = render_plan_pdf(version)
    stored = ""
    try:
        with transaction.atomic():
            locked = (
                PlanVersion.objects.select_for_update().only("pk", "status", "pdf", "pdf_sha256").get(pk=version_id)
            )
            if locked.pdf:
                return False
            # The storage never overwrites a file: a name already taken gets a suffix.
            locked.pdf.save(pdf_filename(version), ContentFile(content), save=False)
            stored = locked.pdf.name
            locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
            locked.save(update_fields=["pdf", "pdf_sha256"])
    except BaseException:
        if stored:  # the row does not point at it: no file without its row
            locked.pdf.storage.delete(stored)
        raise
    return True
