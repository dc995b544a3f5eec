"""Reads shared by the plan and consultation pages, each with its own joins."""

from django.db.models import Prefetch

from applications.models import Application

from .enums import VersionStatus
from .models import PlanComment, PlanVersion


def plan_versions(application: Application) -> list[PlanVersion]:
    return list(
        PlanVersion.objects.filter(plan__application=application)
        .select_related("submitted_by", "returned_by")
        .prefetch_related(
            "equipment_lines",
            "contribution_lines",
            Prefetch("comments", queryset=PlanComment.objects.select_related("author")),
        )
        .order_by("number")
    )


def latest_submitted_version(application: Application) -> PlanVersion | None:
    """What reviewers see: the last version the applicant submitted (returned ones included)."""
    return (
        PlanVersion.objects.filter(plan__application=application)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )
