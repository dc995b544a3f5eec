import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from applications.uploads import sniff_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("permit.pdf", PDF, "application/pdf"),
        ("scan.PNG", png_bytes(), "image/png"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_real_documents_are_accepted_by_content(name, content, expected):
    assert sniff_document(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("permit.pdf", b"MZ\x90\x00 this is an executable", "bad_type"),
        ("notes.pdf", b"just some text pretending", "bad_type"),
        ("scan.png", PDF, "bad_type"),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "bad_pdf"),
        ("broken.png", png_bytes()[:30], "bad_image"),
        ("virus.exe", PDF, "bad_type"),
    ],
)
def test_fake_or_damaged_documents_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        sniff_document(SimpleUploadedFile(name, content))

    assert error.value.code == code


def test_a_document_over_ten_megabytes_is_refused_with_its_size(settings):
    oversized = SimpleUploadedFile("big.pdf", PDF + b"0" * (11 * 1024 * 1024))

    with translation.override("en"), pytest.raises(ValidationError) as error:
        sniff_document(oversized)

    assert error.value.code == "too_large"
    assert error.value.messages == [
        "The file is 11.0\xa0MB; the limit is 10.0\xa0MB. Please upload a smaller scan or photo."
    ]
