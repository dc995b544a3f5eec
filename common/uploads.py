"""Every uploaded file is checked and cleaned here before any model keeps it: one module for all uploads.

The API, for any form of any app (application evidence, plan quotes and evidence, receipts, photos):

    from common.uploads import DOCUMENTS, clean_upload, is_new_upload

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if is_new_upload(upload):
            upload = clean_upload(upload, DOCUMENTS)  # ValidationError in the user's language if refused
            self.instance.receipt_type = upload.content_type
        return upload

and on the model, so the file never keeps the name it was uploaded with and never sits under a public URL:

    receipt = models.FileField(storage=private_storage, upload_to=RandomName("delivery/receipts"), blank=True)

and to serve it, after the view has checked access and written the access log:

    return private_file_response(line.receipt, content_type=line.receipt_type)

What `clean_upload` guarantees for what it returns:
- at most `policy.max_bytes` (settings.UPLOAD_MAX_BYTES by default), refused with its size otherwise;
- its type read from its content (magic bytes, then a full parse), in the policy's allow-list, and the
  file name's extension agreeing with it;
- images (JPEG, PNG) decoded and re-encoded by Pillow: EXIF (GPS coordinates, camera serial numbers),
  XMP, ICC profiles and text chunks are gone, the orientation the EXIF asked for is applied to the
  pixels, and images over `MAX_PIXELS` (decompression bombs) are refused;
- PDFs opened by pikepdf and **refused** (not sanitised) when they carry active content: JavaScript,
  an automatic action when opened or on any event (`/OpenAction` with an action, `/AA`), launch,
  submit-form or import-data actions, embedded or attached files, XFA forms or rich media. Refusing
  is the simpler guarantee: a sanitiser that removes parts of a document can change what it shows,
  and a scanned permit or a supplier's quote never needs any of these. Password-protected PDFs are
  refused too (their content cannot be checked);
- a fresh in-memory file whose `.name` is `upload.<ext>` for the detected type and whose
  `.content_type` is the detected type: store that, not what the browser claimed.

The number of files one request may carry is capped by Django's DATA_UPLOAD_MAX_NUMBER_FILES (a 400
past it); a form taking several files checks `check_count(files, policy)`.
"""

import io
import secrets
import unicodedata
from dataclasses import dataclass, field

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SIGNATURES = {b"%PDF-": PDF, b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# 50 megapixels: more than any phone camera; past it an image is refused rather than decoded.
MAX_PIXELS = 50_000_000
# PDF actions that run something, send something or fetch something.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE", "/Rendition"}


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of upload accepts. `bad_type` is said to the user when the content is not allowed."""

    types: frozenset[str]
    bad_type: Promise
    max_bytes: int | None = None
    max_files: int = 1
    accept: str = field(default="")

    @property
    def limit(self) -> int:
        return self.max_bytes or settings.UPLOAD_MAX_BYTES


DOCUMENTS = UploadPolicy(
    types=frozenset({PDF, JPEG, PNG}),
    bad_type=gettext_lazy(
        "This file is not a real PDF, JPEG or PNG document. Please upload a PDF or a photo of the document."
    ),
    accept=".pdf,.jpg,.jpeg,.png",
)
PHOTOS = UploadPolicy(
    types=frozenset({JPEG, PNG}),
    bad_type=gettext_lazy(
        "This file is not a real JPEG or PNG photo. Please upload a photo taken with a camera or phone."
    ),
    accept=".jpg,.jpeg,.png",
    max_files=10,
)


def is_new_upload(value) -> bool:
    """True for a file that arrived with this request (not one already stored)."""
    return isinstance(value, UploadedFile)


def sniff(upload, policy: UploadPolicy = DOCUMENTS) -> str:
    """The content type of the upload by its first bytes and its name, or ValidationError."""
    if upload.size > policy.limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Please upload a smaller scan or photo.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(policy.limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if content_type not in policy.types or extension not in EXTENSIONS[content_type]:
        raise ValidationError(str(policy.bad_type), code="bad_type")
    return content_type


def clean_upload(upload, policy: UploadPolicy = DOCUMENTS) -> ContentFile:
    """Check the upload against the policy and return the file to store (see the module docstring)."""
    content_type = sniff(upload, policy)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if content_type == PDF:
        check_pdf(data)
    else:
        data = reencode_image(data, content_type)
    cleaned = ContentFile(data, name=f"upload{EXTENSIONS[content_type][0]}")
    cleaned.content_type = content_type
    # Cleaning twice (a form field, then the service) keeps the name the person chose the first time.
    cleaned.original_name = getattr(upload, "original_name", None) or safe_filename(upload.name or "")
    return cleaned


# The longest original file name kept: enough for "Рахунок-фактура № 123 від 01.03.2026 (ТОВ ...).pdf".
MAX_NAME = 200


def safe_filename(name: str) -> str:
    """The uploaded file's own name, fit to show and to offer on download: no folders, no control or
    direction characters, spaces collapsed, at most MAX_NAME characters with its extension kept."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot and stem else ""
        name = name[: MAX_NAME - len(extension) - 1].rstrip(" .") + ("." + extension if extension else "")
    return name


def download_name(original: str, stored: str, *, default: str) -> str:
    """What a download is called: the original name with the stored file's (detected) extension, or
    `default` when none was kept."""
    extension = stored[stored.rfind(".") :].lower() if "." in stored.rsplit("/", 1)[-1] else ""
    stem = original[: original.rfind(".")] if "." in original else original
    return f"{stem or default}{extension}"


def check_pdf(data: bytes) -> None:
    """Refuse a damaged, encrypted or active PDF (see the module docstring); return None if it is inert."""
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This PDF file is damaged or incomplete."), code="bad_pdf")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            active = _active_content(pdf)
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _("This PDF is protected by a password. Please upload a copy without a password."), code="pdf_encrypted"
        ) from error
    except pikepdf.PdfError as error:
        raise ValidationError(_("This PDF file is damaged or incomplete."), code="bad_pdf") from error
    if active:
        raise ValidationError(
            _(
                "This PDF contains active content (scripts, automatic actions or attached files), which we do not "
                "accept. Please save or print it as a new PDF, or scan the paper document, and upload that."
            ),
            code="pdf_active",
        )


def _active_content(pdf: pikepdf.Pdf) -> bool:
    root = pdf.Root
    if "/AA" in root or "/JavaScript" in root.get("/Names", {}) or "/EmbeddedFiles" in root.get("/Names", {}):
        return True
    open_action = root.get("/OpenAction")
    if isinstance(open_action, pikepdf.Dictionary):  # an action; a destination array only shows a page
        return True
    if "/XFA" in root.get("/AcroForm", {}):
        return True
    for obj in _dictionaries(pdf):
        if "/JS" in obj or "/AA" in obj or "/EF" in obj:
            return True
        if str(obj.get("/S", "")) in ACTIVE_ACTIONS:
            return True
        if str(obj.get("/Subtype", "")) in ("/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"):
            return True
        if obj.get("/Type") == "/EmbeddedFile":
            return True
    return False


def _dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary (and stream) of the file, the direct ones nested in others included."""
    containers = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
    stack = [obj for obj in pdf.objects if isinstance(obj, containers)]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            yield obj
            children = list(obj.values())
        stack.extend(child for child in children if isinstance(child, containers) and not child.is_indirect)


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode an image so that only its pixels remain (no EXIF, GPS, XMP, ICC or text)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large (%(width)d × %(height)d pixels). Please upload a smaller photo.")
                    % {"width": image.width, "height": image.height},
                    code="too_many_pixels",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This image file is damaged or incomplete."), code="bad_image") from error
    if upright.mode == "P" or (content_type == JPEG and upright.mode not in ("RGB", "L")):
        upright = upright.convert("RGBA" if content_type == PNG else "RGB")
    # A new image holding only the pixels: nothing of the original's metadata can travel with it.
    pixels = Image.new(upright.mode, upright.size)
    pixels.paste(upright)
    out = io.BytesIO()
    if content_type == JPEG:
        pixels.save(out, format="JPEG", quality=90, optimize=True)
    else:
        pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_count(files: list, policy: UploadPolicy) -> None:
    if len(files) > policy.max_files:
        raise ValidationError(
            ngettext(
                "Please upload at most %(count)d file at a time.",
                "Please upload at most %(count)d files at a time.",
                policy.max_files,
            )
            % {"count": policy.max_files},
            code="too_many_files",
        )


@deconstructible
class RandomName:
    """`upload_to` for private files: `<folder>/<year>/<month>/<32 random hex digits>.<ext>`.

    The name says nothing about the person or the document; the extension is the detected type's."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
        if extension not in {ext for exts in EXTENSIONS.values() for ext in exts}:
            extension = ""
        return f"{self.folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def private_file_response(
    field_file, *, content_type: str = "", filename: str = "", inline: bool = False
) -> FileResponse:
    """Serve a stored private file: an attachment (or shown in the page, `inline`, for a photo), nosniff,
    never cached by a shared cache."""
    if not field_file:
        raise Http404
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename or field_file.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def demo_pdf() -> bytes:
    """A small real PDF (one blank page) for the demo's quotes, receipts and signed scans: the upload checks
    (common.uploads) parse every PDF they are given."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()
