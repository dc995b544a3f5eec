"""Composed award letters (grants.letters.compose) against WeasyPrint's layout of the very same letter.

The composer draws a letter's own text itself, in the geometry of letter.css, over pieces WeasyPrint laid
out once. These tests hold the two renderings together word by word (`pdftotext -bbox`): the same words,
on the same pages, at the same height and within a kerning's width across, so a change to the
stylesheet or the templates that the composer does not follow fails here. They also read the file as a
strict reader would (qpdf), and check what falls back to WeasyPrint.
"""

import collections
import io
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import pikepdf
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from grants.letters.compose import Unfit, _face, compose_award_letter, render_letters_counted, wrap
from grants.letters.documents import EquipmentItem, render_letter_naive

from .test_documents import AWARD, DECLINE, ENGLISH_FIRST, page_count, pdf_fonts, pdf_text, poppler

LONG = replace(
    AWARD,
    full_name="Костянтинопольська-Вишневецька Олександра-Анастасія Володимирівна",
    settlement="смт Верхнє Синьовидне, Верхньосиньовидненська селищна територіальна громада",
    equipment=tuple(
        EquipmentItem(
            item=f"Промисловий холодильник із довгою назвою моделі та комплектацією № {number} для цеху",
            quantity=number,
            supplier="ТОВ «Постачальник обладнання та сервісу для малого бізнесу»",
            total_usd=Decimal("100.00"),
        )
        for number in range(1, 31)
    ),
)

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')


def words(content: bytes) -> list[tuple[int, str, float, float]]:
    """(page, word, x, y) of every word, as poppler places it."""
    output = subprocess.run(
        [poppler("pdftotext"), "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    found, page = [], 0
    for line in output.splitlines():
        if "<page " in line:
            page += 1
        match = WORD.search(line)
        if match:
            found.append((page, match.group(3), float(match.group(1)), float(match.group(2))))
    return found


@pytest.mark.parametrize("letter", [AWARD, ENGLISH_FIRST, LONG], ids=["uk-first", "en-first", "several-pages"])
def test_a_composed_letter_sets_every_word_where_weasyprint_does(letter):
    composed, laid_out = words(compose_award_letter(letter)), words(render_letter_naive(letter))

    assert sorted((page, word) for page, word, _, _ in composed) == sorted(
        (page, word) for page, word, _, _ in laid_out
    )
    places = collections.defaultdict(list)
    for page, word, x, y in laid_out:
        places[page, word].append((x, y))
    for page, word, x, y in composed:
        # Same line to a thousandth of a point; across, WeasyPrint kerns and the composer does not.
        assert min((abs(y - ly), abs(x - lx)) for lx, ly in places[page, word]) < (0.01, 2.0), (page, word, x, y)


def test_the_letters_own_labels_are_in_the_language_of_their_page():
    uk, en = (pdf_text(compose_award_letter(AWARD)).split("1+1 · ")[index] for index in (1, 2))

    assert "Дата: 14.09.2021" in uk and "Date: 14.09.2021" in en
    assert "Договір про надання гранту № UA-1P1-2021-0007" in uk and "Grant agreement No. UA-1P1-2021-0007" in en
    assert "Заявка № 1P1-2021-0042" in uk and "Application No. 1P1-2021-0042" in en
    assert "Заявник: Петренко Оксана Іванівна" in uk and "Applicant: Петренко Оксана Іванівна" in en
    assert "Грант: 3 250,50 USD" in uk and "Grant: USD 3,250.50" in en
    assert "Грант: найменша з трьох сум 3 250,50 USD" in uk and "Grant: the lowest of the three USD 3,250.50" in en


def test_a_long_letter_takes_the_pages_weasyprint_gives_it():
    assert page_count(compose_award_letter(LONG)) == page_count(render_letter_naive(LONG)) > 4
    text = pdf_text(compose_award_letter(LONG))
    assert "30. Промисловий холодильник" in text and "Разом вартість обладнання 3 600,00" in text
    assert text.count("Код перевірки K7QF-M2XD-9TRA-PW3E") >= 3  # the footer of each Ukrainian page


def test_a_composed_file_is_well_formed():
    with pikepdf.open(io.BytesIO(compose_award_letter(LONG))) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == page_count(render_letter_naive(LONG))
        assert str(pdf.Root.Lang) == "uk"
        assert str(pdf.docinfo.Title) == "Лист про надання гранту / Award letter UA-1P1-2021-0007"


def test_every_font_of_a_composed_letter_is_embedded_with_its_unicode_map():
    output = subprocess.run(
        [poppler("pdffonts"), "-"], input=compose_award_letter(AWARD), capture_output=True, check=True
    ).stdout.decode()
    rows = [row.split() for row in output.splitlines()[2:]]
    assert {row[0].split("+")[1] for row in rows} >= {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), output  # emb, sub, uni
    assert {name for name, embedded in pdf_fonts(compose_award_letter(AWARD))} == {row[0] for row in rows}


def test_each_call_gets_its_own_pieces():
    other = replace(AWARD, call_title_uk="Весняний конкурс 2022 року", signed_by="Гнатюк Марта Ігорівна")
    text = pdf_text(compose_award_letter(other))
    assert "«Весняний конкурс 2022 року»" in text and "Гнатюк Марта Ігорівна" in text
    assert "Конкурс 2021 року" not in text


def test_what_the_subset_cannot_draw_is_laid_out_by_weasyprint():
    greek = replace(AWARD, full_name="Ωmega Ольга Петрівна")
    with pytest.raises(Unfit, match="Ω"):
        compose_award_letter(greek)

    rendered = render_letters_counted([AWARD, greek, DECLINE])

    assert rendered.composed == 1  # the award letter the subset can draw; never the decline letter
    assert "Ωmega Ольга Петрівна" in pdf_text(rendered.pdfs[1])
    assert "Шевчук Ірина Олегівна" in pdf_text(rendered.pdfs[2])


def test_composing_can_be_switched_off(settings):
    settings.LETTER_COMPOSE = False

    rendered = render_letters_counted([AWARD])

    assert rendered.composed == 0
    assert "UA-1P1-2021-0007" in pdf_text(rendered.pdfs[0])


def _texts(lines) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def test_wrap_breaks_at_spaces_and_after_a_hyphen_before_a_letter():
    face = _face("regular")
    width = face.width("Костянтинопольська-", 9) + 1

    assert _texts(wrap([("Костянтинопольська-Вишневецька Ольга", face)], 9, width)) == [
        "Костянтинопольська-",
        "Вишневецька Ольга",
    ]
    number = "UA-1P1-2021-0007"
    assert _texts(wrap([(f"№ {number}", face)], 9, face.width(number, 9) + 1)) == ["№", number]


def test_wrap_cuts_a_word_longer_than_a_line_and_never_overflows():
    face = _face("regular")
    url = "http://127.0.0.1:8000/verify/K7QF-M2XD-9TRA-PW3E/"
    width = face.width(url, 7.5) / 3

    lines = _texts(wrap([(url, face)], 7.5, width))

    assert "".join(lines) == url and len(lines) >= 3
    assert all(face.width(line, 7.5) <= width for line in lines)


@pytest.mark.parametrize("letter", [AWARD, ENGLISH_FIRST, DECLINE], ids=["composed-uk", "composed-en", "laid-out"])
def test_the_printed_qr_code_scans_to_the_letters_verify_url(letter, tmp_path):
    """A real decoder (ZXing) reads the first page as a phone camera would see it, printed at 150 dpi."""
    (tmp_path / "letter.pdf").write_bytes(render_letters_counted([letter]).pdfs[0])
    subprocess.run(
        [poppler("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", "letter.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )

    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))

    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, letter.verify_url)]


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="абвгґдеєжзіїйклмнопрстуфхцчшщьюяABCXYZwm0123456789 -'.,«»", min_size=1, max_size=200),
    width=st.floats(min_value=15, max_value=300),
)
def test_wrap_keeps_every_character_in_order_and_every_line_within_the_width(text, width):
    face = _face("regular")

    lines = _texts(wrap([(text, face)], 9, width))

    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(face.width(line, 9) <= width for line in lines)
    assert all(line == line.strip(" ") for line in lines)
