"""The Ukrainian catalogue is complete and is what users actually see.

Ukrainian is the default language, so an untranslated or fuzzy entry means an applicant sees English
(or, for a fuzzy entry, nothing translated at all). The .mo files are build output (`make messages`);
the rendering tests need them compiled.
"""

import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext

from applications.enums import ApplicationStatus, Region

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
UK_PO = LOCALE_DIR / "uk" / "LC_MESSAGES" / "django.po"
UK_MO = LOCALE_DIR / "uk" / "LC_MESSAGES" / "django.mo"
UK_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfir]")


def _unquote(line: str) -> str:
    """The text of one quoted PO string line, escapes kept (enough to compare and to test emptiness)."""
    line = line.strip()
    assert line.startswith('"') and line.endswith('"'), f"not a PO string: {line!r}"
    return line[1:-1]


def parse_po(path: Path) -> list[dict]:
    """A small PO reader: each entry as {'flags', 'msgid', 'msgid_plural', 'msgstr': {index: text}}."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None

    def new_entry() -> dict:
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "line": 0}

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete entries are not shown to anyone
            continue
        if entry is None:
            entry = new_entry()
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry["msgctxt"] = _unquote(line[len("msgctxt ") :])
            field = ("msgctxt",)
        elif line.startswith("msgid_plural "):
            entry["msgid_plural"] = _unquote(line[len("msgid_plural ") :])
            field = ("msgid_plural",)
        elif line.startswith("msgid "):
            if entry["msgid"] is not None:  # two entries without a blank line between them
                entries.append(entry)
                entry = new_entry()
            entry["msgid"] = _unquote(line[len("msgid ") :])
            entry["line"] = number
            field = ("msgid",)
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            entry["msgstr"][index] = _unquote(line[line.index("]") + 1 :])
            field = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry["msgstr"][0] = _unquote(line[len("msgstr ") :])
            field = ("msgstr", 0)
        elif line.startswith('"') and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


def test_ukrainian_catalogue_is_complete():
    entries = parse_po(UK_PO)
    header = next(entry for entry in entries if entry["msgid"] == "")
    messages = [entry for entry in entries if entry["msgid"] != ""]
    assert messages, f"{UK_PO} has no messages"

    assert "fuzzy" not in header["flags"], "the catalogue header is marked fuzzy"
    assert f"Plural-Forms: {UK_PLURAL_FORMS}\\n" in header["msgstr"][0]
    assert "Language: uk\\n" in header["msgstr"][0]

    fuzzy = [entry["msgid"] for entry in messages if "fuzzy" in entry["flags"]]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {UK_PO}: {fuzzy}"

    untranslated = []
    wrong_placeholders = []
    for entry in messages:
        expected_forms = range(3) if entry["msgid_plural"] is not None else range(1)
        if any(not entry["msgstr"].get(index) for index in expected_forms):
            untranslated.append(entry["msgid"])
            continue
        # Ukrainian uses the first plural form for 21, 31, ... too, so every form keeps every placeholder.
        source = entry["msgid"] + (entry["msgid_plural"] or "")
        for index in expected_forms:
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(entry["msgstr"][index])):
                wrong_placeholders.append((entry["line"], entry["msgid"], entry["msgstr"][index]))
    assert not untranslated, f"{len(untranslated)} untranslated entries in {UK_PO}: {untranslated}"
    assert not wrong_placeholders, f"placeholders differ from the msgid: {wrong_placeholders}"


def test_ukrainian_catalogue_passes_msgfmt_check():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(UK_PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, report
    # Only the statistics line, and it counts no fuzzy and no untranslated messages.
    assert re.fullmatch(r"\d+ translated messages?\.", report), report


@pytest.fixture
def uk_compiled():
    assert UK_MO.exists(), f"{UK_MO} is missing: run `make messages` (manage.py compilemessages) first"


def test_interface_renders_in_ukrainian(uk_compiled):
    with translation.override("uk"):
        assert gettext("Calls") == "Конкурси"
        assert gettext("My applications") == "Мої заявки"
        assert str(Region.LVIV.label) == "Львівська область"
        assert str(Region.KYIV_CITY.label) == "місто Київ"
        assert str(ApplicationStatus.SHORTLISTED.label) == "Відібрано до наступного етапу"
        assert (
            ngettext("%(count)d application updated.", "%(count)d applications updated.", 22) % {"count": 22}
            == "Оновлено 22 заявки."
        )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 заявка"),
        (3, "3 заявки"),
        (5, "5 заявок"),
        (11, "11 заявок"),
        (14, "14 заявок"),
        (21, "21 заявка"),
        (22, "22 заявки"),
        (112, "112 заявок"),
    ],
)
def test_template_plurals_follow_ukrainian_rules(uk_compiled, count, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} application"
        "{% plural %}{{ counter }} applications{% endblocktranslate %}"
    )
    with translation.override("uk"):
        assert template.render(Context({"n": count})) == expected


def test_email_subject_renders_in_ukrainian(uk_compiled):
    application = SimpleNamespace(reference="1P1-2021-0042")
    with translation.override("uk"):
        subject = render_to_string("emails/status_submitted_subject.txt", {"application": application})
    assert subject.strip() == "1+1: вашу заявку 1P1-2021-0042 отримано"
