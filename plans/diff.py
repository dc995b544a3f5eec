"""What changed between two versions of a business plan: words in the sections, and the lines."""

import difflib
from dataclasses import dataclass, field

from .enums import PlanSection

EQUIPMENT_FIELDS = ("purpose", "supplier", "quantity", "unit_price", "currency", "vat_included")
CONTRIBUTION_FIELDS = ("kind", "amount", "currency")
NUMBERS = ("jobs_total", "jobs_women", "jobs_youth", "jobs_disability", "jobs_veterans")


@dataclass(frozen=True)
class SectionDiff:
    name: str
    label: str
    chunks: list[tuple[str, str]]  # ("equal" | "insert" | "delete", words)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.chunks)


@dataclass(frozen=True)
class LineDiff:
    change: str  # "added" | "removed" | "changed"
    label: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (field, old, new)


@dataclass(frozen=True)
class VersionDiff:
    sections: list[SectionDiff]
    numbers: list[tuple[str, object, object]]
    equipment: list[LineDiff]
    contributions: list[LineDiff]
    projection_changed: bool

    @property
    def changed_sections(self) -> list[SectionDiff]:
        return [section for section in self.sections if section.changed]


def words_diff(old: str, new: str) -> list[tuple[str, str]]:
    before, after = (old or "").split(), (new or "").split()
    chunks: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            chunks.append(("equal", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(("delete", " ".join(before[i1:i2])))
        if j2 > j1:
            chunks.append(("insert", " ".join(after[j1:j2])))
    return chunks


def _label(line, name: str) -> str:
    meta = getattr(type(line), "_meta", None)
    return str(meta.get_field(name).verbose_name) if meta else name


def lines_diff(old_lines, new_lines, *, key: str, fields: tuple[str, ...]) -> list[LineDiff]:
    """Lines are matched by their name (item or description); a renamed line is removed and added."""
    old_by_key = {getattr(line, key).strip().lower(): line for line in old_lines}
    new_by_key = {getattr(line, key).strip().lower(): line for line in new_lines}
    result = []
    for name, line in new_by_key.items():
        before = old_by_key.get(name)
        if before is None:
            result.append(LineDiff("added", getattr(line, key)))
            continue
        changes = [
            (_label(line, f), getattr(before, f), getattr(line, f))
            for f in fields
            if getattr(before, f) != getattr(line, f)
        ]
        if changes:
            result.append(LineDiff("changed", getattr(line, key), changes))
    result.extend(
        LineDiff("removed", getattr(line, key)) for name, line in old_by_key.items() if name not in new_by_key
    )
    return result


def version_diff(old, new) -> VersionDiff:
    return VersionDiff(
        sections=[
            SectionDiff(name, str(PlanSection(name).label), words_diff(getattr(old, name), getattr(new, name)))
            for name in PlanSection.values
        ],
        numbers=[
            (name, getattr(old, name), getattr(new, name))
            for name in NUMBERS
            if getattr(old, name) != getattr(new, name)
        ],
        equipment=lines_diff(old.equipment_lines.all(), new.equipment_lines.all(), key="item", fields=EQUIPMENT_FIELDS),
        contributions=lines_diff(
            old.contribution_lines.all(), new.contribution_lines.all(), key="description", fields=CONTRIBUTION_FIELDS
        ),
        projection_changed=old.projection != new.projection,
    )
