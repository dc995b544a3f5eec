"""What reviews keep about a person (applications.privacy.registry): scores stay (the ranking's record),
the reviewers' comments and conflict reasons about the applicant go."""

from applications.privacy.registry import PersonalData, register

from .models import ConflictDeclaration, CriterionScore, ScoreSheet


def anonymise(application) -> list[str]:
    ScoreSheet.objects.filter(application=application).update(comment="")
    CriterionScore.objects.filter(sheet__application=application).update(comment="")
    ConflictDeclaration.objects.filter(application=application).update(reason="")
    return []


register(PersonalData(name="reviews", anonymise=anonymise))
