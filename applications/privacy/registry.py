"""What each app keeps about a person, so that their copy and their erasure cover every app.

Applications sits below plans, grants and later apps and cannot import them; each app describes its own
personal data in a `personal_data.py` module, autodiscovered when Django starts (ApplicationsConfig.ready):

    from applications.privacy.registry import PersonalData, register

    register(PersonalData(
        name="plans",
        export=lambda application: {...},          # JSON-able: what the copy of their data shows
        files=lambda application: [("plans/quote-1.pdf", line.quote), ...],  # stored files in the ZIP
        anonymise=plans_anonymise,                 # remove what no legal duty keeps
    ))

`anonymise(application)` runs inside the transaction that anonymises the application, and returns the
stored files to delete once it commits (so a rollback never loses a file that a row still points to).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

SOURCES: list["PersonalData"] = []


@dataclass(frozen=True)
class PersonalData:
    name: str
    export: Callable = field(default=lambda application: {})
    files: Callable = field(default=lambda application: [])
    anonymise: Callable = field(default=lambda application: [])


def register(source: PersonalData) -> PersonalData:
    SOURCES[:] = [known for known in SOURCES if known.name != source.name] + [source]
    return source


def sources() -> list[PersonalData]:
    return list(SOURCES)
