"""What grants keep about a person (applications.privacy.registry). The grant row (agreement number,
amounts, equipment bought) and the award letters are the programme's financial records and are kept;
decline letters and the approvers' notes are removed."""

from applications.privacy.registry import PersonalData, register

from .enums import LetterKind, LetterStatus
from .models import Decision, Grant, Letter


def export(application) -> dict:
    grant = Grant.objects.filter(application=application).first()
    return {
        "grant": None
        if grant is None
        else {
            "agreement_number": grant.agreement_number,
            "grant_usd": str(grant.grant_usd),
            "equipment": grant.equipment,
        },
        "letters": [
            {"kind": letter.kind, "version": letter.version, "issued_on": letter.issued_on.isoformat()}
            for letter in Letter.objects.filter(application=application, status=LetterStatus.READY)
        ],
    }


def files(application) -> list:
    return [
        (f"{letter.kind}-letter-v{letter.version}", letter.file)
        for letter in Letter.objects.filter(application=application, status=LetterStatus.READY)
        if letter.file
    ]


def anonymise(application) -> list[str]:
    declines = Letter.objects.filter(application=application, kind=LetterKind.DECLINE)
    names = [name for name in declines.values_list("file", flat=True) if name]
    declines.delete()
    Decision.objects.filter(application=application).update(note="")
    return names


register(PersonalData(name="grant", export=export, files=files, anonymise=anonymise))
