"""The rendering engine of award and decline letters: what each PDF states, and that a batch rendered in
one WeasyPrint pass splits into exactly one PDF per letter, each as the letter would be on its own.

The PDFs are read back with poppler (pdftotext, pdffonts), as a reader's viewer would; the tests that
need it are skipped on a machine without poppler-utils. No database: the engine takes frozen figures.
"""

import io
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pikepdf
import pytest
from django.utils import translation
from PIL import Image

from grants.letters.compose import render_letters
from grants.letters.documents import (
    EquipmentItem,
    LetterFetcher,
    LetterFigures,
    amount_in_words,
    qr_png,
    render_letter_naive,
)

AWARD = LetterFigures(
    kind="award",
    languages=("uk", "en"),
    version=1,
    verification_code="K7QF-M2XD-9TRA-PW3E",
    verify_url="http://127.0.0.1:8000/verify/K7QF-M2XD-9TRA-PW3E/",
    issued_on=date(2021, 9, 14),
    programme_uk="Програма «1+1» для бізнесу трудових мігрантів",
    programme_en="1+1 Programme for Labour Migrants' Businesses",
    donor="Swiss Agency for Development and Cooperation",
    call_title_uk="Конкурс 2021 року",
    call_title_en="2021 call",
    reference="1P1-2021-0042",
    agreement_number="UA-1P1-2021-0007",
    full_name="Петренко Оксана Іванівна",
    region="lviv",
    settlement="с. Зимна Вода, Зимноводівська громада",
    grant_usd=Decimal("3250.50"),
    equipment_usd=Decimal("3600.00"),
    own_counted_usd=Decimal("3250.50"),
    own_cash_usd=Decimal("2750.50"),
    own_in_kind_usd=Decimal("500.00"),
    match_ratio=Decimal("1.00"),
    cap_usd=Decimal("5000.00"),
    equipment=(
        EquipmentItem(item="Сироварня на 200 л", quantity=1, supplier="ТОВ «Агромаш»", total_usd=Decimal("1800.00")),
        EquipmentItem(item="Прес для сиру", quantity=2, supplier="ФОП Іваненко", total_usd=Decimal("950.00")),
        EquipmentItem(item="Холодильна камера", quantity=1, supplier="ТОВ «Холод»", total_usd=Decimal("850.00")),
    ),
    decline_reason="",
    decline_note="",
    signed_by="Коваль Ірина Олегівна",
)

ENGLISH_FIRST = replace(
    AWARD,
    languages=("en", "uk"),
    version=2,
    verification_code="A2B3-C4D5-E6F7-G8H9",
    verify_url="http://127.0.0.1:8000/verify/A2B3-C4D5-E6F7-G8H9/",
    donor="",
    reference="1P1-2021-0043",
    agreement_number="UA-1P1-2021-0008",
    full_name="Мельник Тарас Богданович",
    region="kyiv_city",
    settlement="",
    grant_usd=Decimal("1999.99"),
    equipment_usd=Decimal("2420.00"),
    own_counted_usd=Decimal("1999.99"),
    own_cash_usd=Decimal("1999.99"),
    own_in_kind_usd=Decimal("0.00"),
    equipment=(
        EquipmentItem(
            item="Деревообробний верстат", quantity=1, supplier="ТОВ «Деревмаш»", total_usd=Decimal("1400.00")
        ),
        EquipmentItem(item="Бетонозмішувач 180 л", quantity=1, supplier="ФОП Гнатюк", total_usd=Decimal("420.00")),
        EquipmentItem(item="Ноутбук для обліку", quantity=1, supplier="ТОВ «Техно»", total_usd=Decimal("600.00")),
        EquipmentItem(item="Шліфувальна машина", quantity=2, supplier="ФОП Лисенко", total_usd=Decimal("0.00")),
    ),
)

DECLINE = replace(
    AWARD,
    kind="decline",
    verification_code="Z9Y8-X7W6-V5U4-T3S2",
    verify_url="http://127.0.0.1:8000/verify/Z9Y8-X7W6-V5U4-T3S2/",
    reference="1P1-2021-0044",
    agreement_number="",
    full_name="Шевчук Ірина Олегівна",
    region="ternopil",
    grant_usd=None,
    equipment=(),
    decline_reason="budget",
    decline_note="Бюджет конкурсу 2021 року вичерпано.",
)

NAMES = [AWARD.full_name, ENGLISH_FIRST.full_name, DECLINE.full_name]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed on this machine")
    return path


def pdf_text(content: bytes) -> str:
    """The text as `pdftotext -layout` reads it, every run of white space (line breaks too) as one space."""
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def pdf_fonts(content: bytes) -> list[tuple[str, str]]:
    """(name, embedded) for each font `pdffonts` lists; the type column may hold spaces, so read from the right."""
    output = subprocess.run(
        [poppler("pdffonts"), "-"], input=content, capture_output=True, check=True, text=False
    ).stdout.decode()
    rows = output.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows]


def page_count(content: bytes) -> int:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return len(pdf.pages)


def english_title(number: str) -> str:
    with translation.override("uk"):
        uk = str(translation.gettext("Award letter"))
    return f"{' / '.join(dict.fromkeys([uk, 'Award letter']))} {number}"


@pytest.fixture(scope="module")
def batch() -> list[bytes]:
    return render_letters([AWARD, ENGLISH_FIRST, DECLINE])


def test_render_letters_returns_one_pdf_per_letter_in_order(batch):
    texts = [pdf_text(content) for content in batch]

    assert len(batch) == 3
    assert [[name in text for name in NAMES] for text in texts] == [
        [True, False, False],
        [False, True, False],
        [False, False, True],
    ]


def test_an_award_letter_states_its_figures_in_both_languages(batch):
    text = pdf_text(batch[0])

    for expected in (
        "UA-1P1-2021-0007",
        "1P1-2021-0042",
        "USD 3,250.50",
        "USD 3,600.00",
        "USD 2,750.50",
        "USD 500.00",
        "USD 5,000.00",
        "Сироварня на 200 л",
        "Прес для сиру",
        "Холодильна камера",
        "ТОВ «Агромаш»",
        "три тисячі двісті п'ятдесят доларів США 50 центів",
        "three thousand two hundred fifty US dollars 50 cents",
        "Львівська область",
        "Lviv oblast",
        "с. Зимна Вода, Зимноводівська громада",
        "Коваль Ірина Олегівна",
        "14.09.2021",
        "K7QF-M2XD-9TRA-PW3E",
        "http://127.0.0.1:8000/verify/K7QF-M2XD-9TRA-PW3E/",
        "Swiss Agency for Development and Cooperation",
        "K7QF-M2XD-9TRA-PW3E · uk/en",
    ):
        assert expected in text, expected
    assert text.count("Сироварня на 200 л") == 2


def test_the_applicants_language_comes_first(batch):
    ukrainian_first, english_first = pdf_text(batch[0]), pdf_text(batch[1])

    assert ukrainian_first.index("Львівська область") < ukrainian_first.index("Lviv oblast")
    assert english_first.index("Kyiv city") < english_first.index("місто Київ")
    assert english_first.index("one thousand nine hundred ninety-nine US dollars 99 cents") < english_first.index(
        "одна тисяча дев'ятсот дев'яносто дев'ять доларів США 99 центів"
    )
    assert "A2B3-C4D5-E6F7-G8H9 · en/uk version 2" in english_first


def test_a_decline_letter_states_the_reason_and_the_note(batch):
    text = pdf_text(batch[2])

    assert "1P1-2021-0044" in text
    assert "The call's budget does not allow this grant" in text
    assert "Бюджет конкурсу 2021 року вичерпано." in text
    assert "Z9Y8-X7W6-V5U4-T3S2" in text
    assert "UA-1P1-2021" not in text
    assert "USD" not in text


def test_each_pdf_has_the_pages_the_letter_has_alone(batch):
    alone = [render_letter_naive(letter) for letter in (AWARD, ENGLISH_FIRST, DECLINE)]

    assert [page_count(content) for content in batch] == [page_count(content) for content in alone]
    assert [page_count(content) for content in batch] == [2, 2, 2]


def test_a_long_letter_in_the_middle_of_a_batch_keeps_all_its_pages():
    items = tuple(
        EquipmentItem(
            item=f"Позиція обладнання {number}", quantity=1, supplier="ТОВ «Агромаш»", total_usd=Decimal("10")
        )
        for number in range(1, 61)
    )
    long_letter = replace(ENGLISH_FIRST, equipment=items)

    pdfs = render_letters([AWARD, long_letter, DECLINE])

    pages = [page_count(content) for content in pdfs]
    assert pages == [2, page_count(render_letter_naive(long_letter)), 2]
    assert pages[1] >= 3
    text = pdf_text(pdfs[1])
    assert all(f"Позиція обладнання {number} " in text for number in range(1, 61))
    assert (AWARD.full_name in text, DECLINE.full_name in text) == (False, False)


def test_every_font_is_embedded(batch):
    for content in batch:
        fonts = pdf_fonts(content)
        assert fonts, "no fonts listed"
        assert {embedded for _, embedded in fonts} == {"yes"}


def test_each_pdf_carries_its_own_title_and_language(batch):
    metadata = []
    for content in batch:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            metadata.append((str(pdf.docinfo["/Title"]), str(pdf.Root.Lang)))

    assert metadata[0] == (english_title("UA-1P1-2021-0007"), "uk")
    assert metadata[1][1] == "en"
    assert metadata[1][0].startswith("Award letter") and metadata[1][0].endswith(" UA-1P1-2021-0008")
    assert metadata[2][1] == "uk"
    assert metadata[2][0].endswith(" 1P1-2021-0044")


def test_the_qr_code_on_each_page_is_the_letters_verify_url(batch):
    expected = Image.open(io.BytesIO(qr_png(AWARD.verify_url))).convert("L").tobytes()

    with pikepdf.open(io.BytesIO(batch[0])) as pdf:
        drawn = [
            pikepdf.PdfImage(image).as_pil_image().convert("L").tobytes()
            for page in pdf.pages
            for image in page.get_images().values()
        ]
        stored = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]

    assert drawn == [expected, expected]
    assert len(stored) == 1, "the other letters' QR codes of the batch are left in this PDF"


def test_a_letter_fetches_nothing_but_its_own_qr_code():
    fetcher = LetterFetcher([AWARD])

    assert fetcher.fetch("letter-qr:0").read() == qr_png(AWARD.verify_url)
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/static/logo.png", "data:image/png;base64,AAAA"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_render_letters_of_nothing_is_nothing():
    assert render_letters([]) == []


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("3250.50", "en", "three thousand two hundred fifty US dollars 50 cents"),
        ("3250.50", "uk", "три тисячі двісті п'ятдесят доларів США 50 центів"),
        ("1.01", "en", "one US dollar 01 cent"),
        ("1.01", "uk", "один долар США 01 цент"),
        ("2022.02", "en", "two thousand twenty-two US dollars 02 cents"),
        ("2022.02", "uk", "дві тисячі двадцять два долари США 02 центи"),
        ("4.04", "uk", "чотири долари США 04 центи"),
        ("11.00", "uk", "одинадцять доларів США 00 центів"),
        ("21.21", "uk", "двадцять один долар США 21 цент"),
        ("1000000", "en", "one million US dollars 00 cents"),
        ("0.99", "uk", "нуль доларів США 99 центів"),
    ],
)
def test_amount_in_words(value, language, expected):
    assert amount_in_words(Decimal(value), language) == expected


def test_amount_in_words_refuses_other_languages_and_negative_amounts():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("1.00"), "pl")
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1.00"), "en")


@pytest.mark.parametrize("letter", [AWARD, ENGLISH_FIRST, DECLINE], ids=["award", "english-first", "decline"])
def test_letter_figures_survive_a_json_round_trip(letter):
    stored = json.loads(json.dumps(letter.to_json()))

    assert LetterFigures.from_json(stored) == letter


def test_letter_figures_to_json_writes_money_as_strings():
    data = AWARD.to_json()

    assert (data["grant_usd"], data["match_ratio"], data["issued_on"], data["languages"]) == (
        "3250.50",
        "1.00",
        "2021-09-14",
        ["uk", "en"],
    )
    assert data["equipment"][0] == {
        "item": "Сироварня на 200 л",
        "quantity": 1,
        "supplier": "ТОВ «Агромаш»",
        "total_usd": "1800.00",
    }
    assert DECLINE.to_json()["grant_usd"] is None


def test_letter_figures_refuse_an_award_without_a_grant():
    with pytest.raises(ValueError):
        replace(AWARD, grant_usd=None)
