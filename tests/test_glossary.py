"""The Ukrainian catalogue follows docs/glossary.md: no forbidden variant of a term appears in a msgstr.

The forbidden words are read from the glossary's table itself, so a rule added there is checked here.
"""

import re
from pathlib import Path

from django.conf import settings

from tests.test_translations import UK_PO, parse_po

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"
# Forbidden forms that only make sense as whole words ("email" may be part of a placeholder name).
WHOLE_WORD = re.compile(r"^[\w’'-]+$")


def _forbidden() -> dict[str, str]:
    """{forbidden variant: the English term it stands for}, from the table's 'Not' column."""
    forbidden = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "---"):
            continue
        for variant in filter(None, (v.strip() for v in cells[2].split(";"))):
            forbidden[variant] = cells[0]
    return forbidden


def _translations() -> list[tuple[str, str]]:
    entries = parse_po(UK_PO)
    return [(entry["msgid"], text) for entry in entries for text in entry["msgstr"].values() if entry["msgid"]]


def _prose(text: str) -> str:
    """The words a reader sees: placeholders (%(email)s), markup and URLs taken out."""
    text = re.sub(r"%\(\w+\)[sd]|%[sd]|\{\w+\}", " ", text)
    text = re.sub(r"<[^>]+>|https?://\S+", " ", text)
    return text


def test_the_glossary_has_a_table_of_terms_with_forbidden_variants():
    forbidden = _forbidden()
    assert len(forbidden) >= 40
    assert (forbidden["лист очікування"], forbidden["виклик"], forbidden["Зареєструватись".lower()]) == (
        "waiting list, waitlisted",
        "call (for proposals)",
        "register (an account)",
    )


def test_no_forbidden_variant_appears_in_a_ukrainian_translation():
    found = []
    for variant, term in _forbidden().items():
        if variant.endswith("*"):  # a stem: any ending
            pattern = rf"(?<![\w’'-]){re.escape(variant[:-1])}"
        elif WHOLE_WORD.match(variant):
            pattern = rf"(?<![\w’'-]){re.escape(variant)}(?![\w’'-])"
        else:
            pattern = re.escape(variant)
        for msgid, text in _translations():
            if re.search(pattern, _prose(text), flags=re.IGNORECASE):
                found.append(f"{variant!r} (for {term!r}) in the translation of {msgid[:60]!r}")
    assert found == []


def test_the_reader_is_addressed_with_a_lower_case_vy_inside_sentences():
    polite = re.compile(r"(?<![.!?:—«(\n]\s)(?<!^)\b(Ви|Вас|Вам|Вами|Ваш\w*)\b")
    found = [msgid[:60] for msgid, text in _translations() if any(polite.search(s) for s in _prose(text).split("\n"))]
    assert found == []


def test_1plus1_is_written_one_way():
    found = [msgid[:60] for msgid, text in _translations() if re.search(r"«1\+1»|\[1\+1\]", text)]
    assert found == []
