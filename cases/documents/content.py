"""What an uploaded file really is, judged by its content (never its name or the browser's
word), and images cleaned of their metadata (EXIF, GPS, text chunks) before storing."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The types a family file holds, by the MIME type the content shows: the extension the
# stored file and the download get.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

NOT_ALLOWED = _(
    "Dit soort bestand kan niet in het dossier. Kies een PDF, een foto (JPEG of PNG) of een "
    "Word- of ODF-document (doc, docx, odt, ods)."
)
BROKEN_IMAGE = _("Deze afbeelding is beschadigd of te groot en kan niet worden gelezen.")


class RefusedFile(ValueError):
    """The upload is not something the file may hold; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str


def sniff(content: bytes) -> str | None:
    kind = filetype.guess(content)
    return kind.mime if kind is not None else None


def strip_image_metadata(content: bytes, content_type: str) -> bytes:
    """The image re-encoded without EXIF (GPS, camera, time) or text chunks; turned the way
    its EXIF orientation said first, so it does not end up on its side. The colour profile
    stays (it is no personal data and keeps the colours right)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            options: dict = {"icc_profile": icc} if icc else {}
            fmt = IMAGE_FORMATS[content_type]
            if fmt == "JPEG":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                options.update(quality=92, optimize=True)
            upright.save(out, format=fmt, **options)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise RefusedFile(BROKEN_IMAGE) from None
    return out.getvalue()


def check_upload(content: bytes) -> CheckedFile:
    content_type = sniff(content)
    if content_type not in ALLOWED:
        raise RefusedFile(NOT_ALLOWED)
    if content_type in IMAGE_FORMATS:
        content = strip_image_metadata(content, content_type)
    return CheckedFile(content=content, content_type=content_type, extension=ALLOWED[content_type])


def safe_file_name(original: str, extension: str) -> str:
    """A download name from what the user called the file: no path, only plain letters,
    digits, dots, dashes and underscores, and the extension the content showed."""
    stem = os.path.splitext(os.path.basename(original.replace("\\", "/")))[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem).strip("._-")[:100] or "document"
    return f"{cleaned}.{extension}"
