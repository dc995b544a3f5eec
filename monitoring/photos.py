"""Photos from visits and reports: checked by content (applications.uploads.sniff_document), then re-encoded
by Pillow, so no EXIF block, GPS position, camera serial or embedded thumbnail survives, and turned upright
from the EXIF orientation first. Only JPEG and PNG are photos here; a PDF is refused.

When applications.uploads grows its own EXIF stripping for every upload, this module should call it.
"""

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from applications.uploads import sniff_document

# Photos are for evidence, not print: the longest side is brought down to this many pixels.
MAX_SIDE = 2400


def photo_clean(upload) -> tuple[ContentFile, str]:
    """A JPEG or PNG without metadata, and its content type; raises ValidationError for anything else."""
    content_type = sniff_document(upload)
    if content_type not in ("image/jpeg", "image/png"):
        raise ValidationError(_("Upload a photo (JPEG or PNG)."), code="not_a_photo")
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        buffer = io.BytesIO()
        if content_type == "image/jpeg":
            image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
        else:
            image.save(buffer, format="PNG", optimize=True)
    upload.seek(0)
    extension = ".jpg" if content_type == "image/jpeg" else ".png"
    name = PurePath(upload.name or "photo").stem[:40] + extension
    return ContentFile(buffer.getvalue(), name=name), content_type
