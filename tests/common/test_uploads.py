"""common.uploads: what any upload of the programme goes through before it is stored."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from common.uploads import DOCUMENTS, PHOTOS, RandomName, check_count, clean_upload, download_name, safe_filename
from tests.factories import MINIMAL_PDF as PDF

GPS = 0x8825
ORIENTATION = 0x0112


def png_bytes(**save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG", **save)
    return buffer.getvalue()


def jpeg_bytes(size=(4, 4), exif=None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format="JPEG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    return exif


def pdf_bytes(change=None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("permit.pdf", PDF, "application/pdf"),
        ("permit.pdf", pdf_bytes(), "application/pdf"),
        ("scan.PNG", png_bytes(), "image/png"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_real_documents_are_accepted_by_content(name, content, expected):
    cleaned = clean_upload(upload(name, content), DOCUMENTS)

    extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[expected]
    assert (cleaned.content_type, cleaned.name) == (expected, f"upload{extension}")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("permit.pdf", b"MZ\x90\x00 this is an executable", "bad_type"),
        ("notes.pdf", b"just some text pretending", "bad_type"),
        ("scan.png", PDF, "bad_type"),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "bad_pdf"),
        ("garbage.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 20 + b"\n%%EOF\n", "bad_pdf"),
        ("broken.png", png_bytes()[:30], "bad_image"),
        ("virus.exe", PDF, "bad_type"),
    ],
)
def test_fake_or_damaged_documents_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload(name, content), DOCUMENTS)

    assert error.value.code == code


def test_a_document_over_ten_megabytes_is_refused_with_its_size():
    oversized = upload("big.pdf", PDF + b"0" * (11 * 1024 * 1024))

    with translation.override("en"), pytest.raises(ValidationError) as error:
        clean_upload(oversized, DOCUMENTS)

    assert error.value.code == "too_large"
    assert error.value.messages == [
        "The file is 11.0\xa0MB; the limit is 10.0\xa0MB. Please upload a smaller scan or photo."
    ]


def test_photos_policy_refuses_a_pdf_with_its_own_message():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        clean_upload(upload("receipt.pdf", PDF), PHOTOS)

    assert error.value.messages == [
        "This file is not a real JPEG or PNG photo. Please upload a photo taken with a camera or phone."
    ]


def test_a_jpeg_loses_its_gps_and_camera_exif_and_keeps_its_pixels():
    original = jpeg_bytes(size=(40, 30), exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test file does carry GPS

    cleaned = clean_upload(upload("photo.jpg", original), DOCUMENTS)

    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(GPS) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_a_rotated_phone_photo_is_turned_upright_before_its_exif_goes():
    cleaned = clean_upload(upload("photo.jpg", jpeg_bytes(size=(40, 30), exif=gps_exif(orientation=6))), DOCUMENTS)

    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.size == (30, 40)


def test_a_png_loses_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Марія Іваненко, +48 600 100 200")
    cleaned = clean_upload(upload("scan.png", png_bytes(pnginfo=info)), DOCUMENTS)

    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert (image.format, image.text) == ("PNG", {})


def test_an_image_with_too_many_pixels_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr("common.uploads.MAX_PIXELS", 100)

    with pytest.raises(ValidationError) as error:
        clean_upload(upload("photo.jpg", jpeg_bytes(size=(20, 20))), DOCUMENTS)

    assert error.value.code == "too_many_pixels"


def _javascript_open(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def _launch_on_page_open(pdf):
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def _document_javascript(pdf):
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.submitForm('x')"))
    names = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=names)


def _embedded_file(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def _link_launching_a_program(pdf):
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annotation]))


@pytest.mark.parametrize(
    "change", [_javascript_open, _launch_on_page_open, _document_javascript, _embedded_file, _link_launching_a_program]
)
def test_a_pdf_with_active_content_is_refused_with_a_clear_message(change):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        clean_upload(upload("quote.pdf", pdf_bytes(change)), DOCUMENTS)

    assert error.value.code == "pdf_active"
    assert error.value.messages[0].startswith("This PDF contains active content (scripts, automatic actions")


def test_a_pdf_that_opens_at_a_page_is_not_active():
    def fit_first_page(pdf):
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])

    assert clean_upload(upload("quote.pdf", pdf_bytes(fit_first_page)), DOCUMENTS).content_type == "application/pdf"


def test_a_password_protected_pdf_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="secret"))

    with pytest.raises(ValidationError) as error:
        clean_upload(upload("permit.pdf", out.getvalue()), DOCUMENTS)

    assert error.value.code == "pdf_encrypted"


def test_random_names_keep_only_the_folder_and_the_detected_extension():
    first = RandomName("plans/quotes")(None, "upload.pdf")
    second = RandomName("plans/quotes")(None, "Паспорт Іваненко.PDF")

    assert first.startswith("plans/quotes/") and first.endswith(".pdf") and len(first.rsplit("/", 1)[1]) == 36
    assert "Іваненко" not in second and first != second
    assert RandomName("x")(None, "evil.php").rsplit("/", 1)[1].count(".") == 0


def test_a_form_taking_several_files_is_capped():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_count([object()] * 11, PHOTOS)

    assert error.value.messages == ["Please upload at most 10 files at a time."]


def test_cleaning_twice_keeps_the_name_the_person_chose():
    once = clean_upload(SimpleUploadedFile("C:\\scans\\Акт звірки.pdf", PDF), DOCUMENTS)

    twice = clean_upload(once, DOCUMENTS)

    assert (once.name, once.original_name, twice.original_name) == ("upload.pdf", "Акт звірки.pdf", "Акт звірки.pdf")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("invoice\u202efdp.exe.pdf", "invoice fdp.exe.pdf"),
        ("  receipt \n 1 .pdf", "receipt 1 .pdf"),
        ("...", ""),
        ("а" * 300 + ".pdf", "а" * 196 + ".pdf"),
    ],
)
def test_an_original_name_loses_folders_control_characters_and_excess_length(given, kept):
    assert safe_filename(given) == kept


def test_a_download_takes_the_original_name_with_the_stored_extension():
    assert download_name("Фото чека.png", "evidence/2026/03/ab12.jpg", default="evidence-1") == "Фото чека.jpg"
    assert download_name("", "evidence/2026/03/ab12.pdf", default="evidence-1") == "evidence-1.pdf"
