"""What plans keep about a person (applications.privacy.registry): plan versions, lines and their files,
consultations. Anonymising keeps the figures (jobs, projection, amounts, equipment: the grant's basis) and
removes the texts, the notes and every file."""

from applications.privacy.registry import PersonalData, register

from .enums import PlanSection
from .models import ConsultationSession, ContributionLine, EquipmentLine, PlanComment, PlanVersion


def _versions(application):
    return PlanVersion.objects.filter(plan__application=application).order_by("number")


def export(application) -> dict:
    versions = []
    for version in _versions(application).prefetch_related("equipment_lines", "contribution_lines", "comments"):
        versions.append(
            {
                "number": version.number,
                "status": version.status,
                **{name: getattr(version, name) for name in PlanSection.values},
                "jobs_total": version.jobs_total,
                "projection": version.projection,
                "equipment": [
                    {
                        "item": line.item,
                        "supplier": line.supplier,
                        "quantity": line.quantity,
                        "unit_price": str(line.unit_price),
                        "currency": line.currency,
                    }
                    for line in version.equipment_lines.all()
                ],
                "own_contribution": [
                    {
                        "kind": line.kind,
                        "description": line.description,
                        "amount": str(line.amount),
                        "currency": line.currency,
                    }
                    for line in version.contribution_lines.all()
                ],
                "comments_to_you": [comment.body for comment in version.comments.all() if comment.to_applicant],
            }
        )
    sessions = [
        {
            "date": session.held_on.isoformat(),
            "mode": session.mode,
            "minutes": session.duration_minutes,
            "topics": session.topics,
            "next_steps": session.next_steps,
        }
        for session in ConsultationSession.objects.filter(application=application)
    ]
    return {"versions": versions, "consultations": sessions}


def files(application) -> list:
    found = []
    for version in _versions(application).prefetch_related("equipment_lines", "contribution_lines"):
        if version.pdf:
            found.append((f"plan-v{version.number}", version.pdf))
        found += [
            (f"quote-v{version.number}-{n}", line.quote)
            for n, line in enumerate(version.equipment_lines.all(), 1)
            if line.quote
        ]
        found += [
            (f"contribution-evidence-v{version.number}-{n}", line.evidence)
            for n, line in enumerate(version.contribution_lines.all(), 1)
            if line.evidence
        ]
    return found


def anonymise(application) -> list[str]:
    versions = _versions(application)
    names = [name for name in versions.values_list("pdf", flat=True) if name]
    equipment = EquipmentLine.objects.filter(version__plan__application=application)
    contributions = ContributionLine.objects.filter(version__plan__application=application)
    names += [name for name in equipment.values_list("quote", flat=True) if name]
    names += [name for name in contributions.values_list("evidence", flat=True) if name]
    versions.update(**dict.fromkeys(PlanSection.values, ""), return_note="", pdf="", pdf_sha256="")
    equipment.update(purpose="", quote="", quote_type="")
    contributions.update(description="", evidence="", evidence_type="")
    PlanComment.objects.filter(version__plan__application=application).update(body="")
    ConsultationSession.objects.filter(application=application).update(topics="", notes="", next_steps="")
    return names


register(PersonalData(name="business_plan", export=export, files=files, anonymise=anonymise))
