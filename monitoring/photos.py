"""Photos from visits and reports: cleaned by common.uploads (type by content, re-encoded by Pillow so no EXIF
block, GPS position, camera serial or embedded thumbnail survives, turned upright first), then brought down
to at most MAX_SIDE pixels on the longest side. Only JPEG and PNG are photos here; a PDF is refused.
"""

import io
from pathlib import PurePath

from django.core.files.base import ContentFile
from PIL import Image

from common.uploads import PHOTOS, clean_upload

# Photos are for evidence, not print: the longest side is brought down to this many pixels.
MAX_SIDE = 2400


def photo_clean(upload) -> tuple[ContentFile, str]:
    """A JPEG or PNG without metadata, and its content type; raises ValidationError for anything else."""
    stem = PurePath(upload.name or "photo").stem[:40]
    cleaned = clean_upload(upload, PHOTOS)
    content_type = cleaned.content_type
    with Image.open(io.BytesIO(cleaned.read())) as image:
        if max(image.size) <= MAX_SIDE:
            cleaned.seek(0)
            data = cleaned.read()
        else:
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            buffer = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
            else:
                image.save(buffer, format="PNG", optimize=True)
            data = buffer.getvalue()
    extension = ".jpg" if content_type == "image/jpeg" else ".png"
    return ContentFile(data, name=stem + extension), content_type
