"""Photos as phones take them: JPEG with EXIF (camera, orientation and a GPS position)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS = 0x8825


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # rotated: the stored pixels are on their side
    exif[GPS] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")
