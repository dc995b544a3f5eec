"""Django's `{# #}` comment is one line only: spread over several, it is printed on the page as it is."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_one_line_comment_spread_over_several_lines():
    spread = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(r"\{#(?:(?!#\}).)*\n", text, re.S)
    ]

    assert spread == []
