"""Reads shared by the plan and consultation pages, each with its own joins."""

from dataclasses import dataclass

from django.db.models import Prefetch

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.models import Application

from .enums import VersionStatus
from .models import PlanComment, PlanVersion


def plan_versions(application: Application) -> list[PlanVersion]:
    return list(
        PlanVersion.objects.filter(plan__application=application)
        .select_related("submitted_by", "returned_by", "plan__application")
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


def plan_editable(application: Application) -> bool:
    """The applicant writes the plan while the application is shortlisted (plans.services.plan_draft)."""
    return application.status == ApplicationStatus.SHORTLISTED


def _comments_for(user, application: Application, version: PlanVersion | None, is_owner: bool) -> list:
    """The applicant reads what is addressed to them; staff and the consultant read everything;
    reviewers judge the plan itself and read no comments."""
    if version is None:
        return []
    if is_owner:
        return [comment for comment in version.comments.all() if comment.to_applicant]
    if has_role(user, Role.PROGRAMME_OFFICER, Role.APPROVER) or user.has_perm("plans.consult", application):
        return list(version.comments.all())
    return []


@dataclass(frozen=True)
class PlanPage:
    """A version of the plan as `viewer` may see it, and what they may do with it."""

    versions: list[PlanVersion]
    version: PlanVersion | None
    previous: PlanVersion | None
    comments: list
    is_owner: bool
    is_staff_reader: bool
    can_edit: bool
    can_return: bool

    @property
    def shows_diff(self) -> bool:
        """Staff and consultants see what changed since the version before; the applicant wrote it."""
        return bool(self.previous and self.version and not self.is_owner)


def plan_page(viewer, application: Application, number: int | None = None) -> PlanPage | None:
    """The version numbered `number`, or by default the latest submitted one (the draft while there is none);
    None when `viewer` may not see a version of that number. Only the applicant and their consultant see
    the drafts (plans.view_drafts)."""
    versions = plan_versions(application)
    is_owner = viewer.pk == application.applicant_id
    visible = versions if viewer.has_perm("plans.view_drafts", application) else [v for v in versions if not v.is_draft]
    if number is None:
        submitted = [v for v in visible if not v.is_draft]
        version = (submitted or visible or [None])[-1]
    else:
        version = next((v for v in visible if v.number == number), None)
        if version is None:
            return None
    earlier = [v for v in visible if version and not v.is_draft and v.number < version.number]
    can_return = (
        version is not None
        and VersionStatus.RETURNED in version.available_moves(viewer)
        and ApplicationStatus.SHORTLISTED in application.available_moves(viewer)
    )
    return PlanPage(
        versions=visible,
        version=version,
        previous=earlier[-1] if earlier else None,
        comments=_comments_for(viewer, application, version, is_owner),
        is_owner=is_owner,
        is_staff_reader=has_role(viewer, Role.PROGRAMME_OFFICER, Role.APPROVER),
        can_edit=is_owner and plan_editable(application),
        can_return=can_return,
    )
