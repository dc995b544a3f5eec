"""Uploaded documents are checked by their content, not by their name, before anything keeps them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": {".pdf"}, "image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}


def sniff_document(upload) -> str:
    """Return the content type of a PDF, JPEG or PNG upload, or raise ValidationError for anything else."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Please upload a smaller scan or photo.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if content_type is None or extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("This file is not a real PDF, JPEG or PNG document. Please upload a PDF or a photo of the document."),
            code="bad_type",
        )
    if content_type == "application/pdf":
        upload.seek(max(upload.size - 2048, 0))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(_("This PDF file is damaged or incomplete."), code="bad_pdf")
    else:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError(_("This image file is damaged or incomplete."), code="bad_image") from error
        finally:
            upload.seek(0)
    return content_type
