"""Checking and storing uploaded materials: PDF, JPEG and PNG only, recognised by content.

What a file must survive before it is stored:

- its type is read from its first bytes, never from its name or the browser's word;
- an empty file, a file over ``TONGBAN_UPLOAD_MAX_FILE_BYTES`` or one that would take the case
  over ``TONGBAN_UPLOAD_MAX_CASE_BYTES`` is refused (``SizeLimitUploadHandler`` refuses an
  oversized request before Django reads its body);
- images are decoded (at most ``TONGBAN_UPLOAD_MAX_PIXELS``: a decompression bomb is refused
  before its pixels are) and re-encoded from their pixels alone, so EXIF (GPS, camera serials),
  JPEG comments and APPn blocks (XMP, ICC, IPTC) and PNG text/eXIf/iCCP chunks are all gone;
- PDFs are refused when encrypted, unreadable, or carrying JavaScript, launch actions or embedded
  files: pypdf walks every object without running anything, and the raw bytes are searched for
  the same names (with ``#xx`` escapes decoded) in case an object hides from the parser;
- the scanner from ``scanning`` looks at the bytes to be stored;
- the stored name is random; the name the person gave is kept only as a sanitised label.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from .constants import ScanStatus
from .scanning import ScannerUnavailable, ScanResult, accept_when_unavailable, active_scanner

log = structlog.get_logger("tongban.cases")

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
MAX_NAME = 200
# A multipart request carries headers and form fields beside the file.
REQUEST_OVERHEAD = 1024 * 1024
FORBIDDEN_PDF_NAMES = (b"/JS", b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles")
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/ImportData"}
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def max_file_bytes() -> int:
    return int(getattr(settings, "TONGBAN_UPLOAD_MAX_FILE_BYTES", 20 * 1024 * 1024))


def max_case_bytes() -> int:
    return int(getattr(settings, "TONGBAN_UPLOAD_MAX_CASE_BYTES", 100 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "TONGBAN_UPLOAD_MAX_PIXELS", 40_000_000))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


# --- Before the body is read -----------------------------------------------------------------


class SizeLimitUploadHandler(FileUploadHandler):
    """Refuses an oversized upload while Django parses it, never holding it whole.

    A request announcing more than one file's limit is not parsed at all; a file that grows past
    the limit is skipped at the chunk that crosses it. ``request.upload_refused`` says why, so
    the view can answer 413 with a message instead of "no file".
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.total = 0
        if announced_too_large(self.request):
            self.request.upload_refused = "too_large"
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.total = start + len(raw_data)
        if self.total > max_file_bytes():
            self.request.upload_refused = "too_large"
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def announced_too_large(request) -> bool:
    """The request says up front (Content-Length) that it is bigger than any accepted upload."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_file_bytes() + REQUEST_OVERHEAD


def limit_upload_size(view):
    """View decorator: installs ``SizeLimitUploadHandler`` before anything reads the body."""

    def wrapped(request, *args, **kwargs):
        request.upload_refused = None
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return view(request, *args, **kwargs)

    return wrapped


def too_large_message() -> str:
    return _(
        "This file is larger than %(limit)s MB. Scan it at a lower resolution or split it."
    ) % {"limit": _megabytes(max_file_bytes())}


# --- Names and types ---------------------------------------------------------------------------


def display_name(raw: str | None) -> str:
    """A label for the file as its owner named it; never used as a path."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:MAX_NAME] or _("file")


def detect_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


# --- PDFs ------------------------------------------------------------------------------------


def _unescaped(data: bytes) -> bytes:
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _raw_names_forbidden(data: bytes) -> bool:
    # Stream bodies are compressed or image data where three random bytes can spell "/JS";
    # names inside compressed object streams are the parser's job (``_object_forbidden``).
    plain = _unescaped(_STREAM_BODY.sub(b"stream endstream", data))
    return any(re.search(re.escape(name) + rb"(?![A-Za-z])", plain) for name in FORBIDDEN_PDF_NAMES)


def _object_forbidden(obj) -> bool:
    from pypdf.generic import DictionaryObject

    if not isinstance(obj, DictionaryObject):
        return False
    keys = set(obj.keys())
    if keys & {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}:
        return True
    return str(obj.get("/S", "")) in FORBIDDEN_ACTIONS


def check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    dangerous = _(
        "PDFs with scripts, launch actions or embedded files are not accepted; print it to a new PDF and upload that."
    )
    if _raw_names_forbidden(data):
        raise _refuse(dangerous, "pdf_active_content")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(
                _("This PDF is password-protected. Upload a copy without a password."),
                "pdf_encrypted",
            )
        if _object_forbidden(reader.trailer.get("/Root")):
            raise _refuse(dangerous, "pdf_active_content")
        for generation, numbers in reader.xref.items():
            for number in numbers:
                if _object_forbidden(IndirectObject(number, generation, reader).get_object()):
                    raise _refuse(dangerous, "pdf_active_content")
        for number in reader.xref_objStm:
            if _object_forbidden(IndirectObject(number, 0, reader).get_object()):
                raise _refuse(dangerous, "pdf_active_content")
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise _refuse(_("This PDF is damaged and cannot be read."), "pdf_damaged") from error


# --- Images ----------------------------------------------------------------------------------


# What an image keeps besides its pixels: only transparency, which is part of the picture.
# Everything else in ``info`` (comment, exif, icc_profile, xmp, dpi, text chunks…) is metadata
# that Pillow would write back on save — a JPEG comment survived that way.
KEPT_IMAGE_INFO = frozenset({"transparency"})


def _without_metadata(image):
    clean = image.copy()
    clean.info = {key: value for key, value in image.info.items() if key in KEPT_IMAGE_INFO}
    return clean


def reencode_image(data: bytes, content_type: str) -> bytes:
    """The picture alone: decoded within the pixel limit, re-encoded without metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    damaged = _("This image is damaged and cannot be read.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                expected = "JPEG" if content_type == JPEG else "PNG"
                if image.format != expected:
                    raise _refuse(damaged, "image_damaged")
                width, height = image.size
                if width * height > max_pixels():
                    raise _refuse(
                        _(
                            "This image has too many pixels (%(pixels)s million). Scan it at a lower resolution."
                        )
                        % {"pixels": f"{width * height / 1e6:.0f}"},
                        "image_too_many_pixels",
                    )
                image.load()
                upright = _without_metadata(ImageOps.exif_transpose(image))
                out = io.BytesIO()
                if content_type == JPEG:
                    if upright.mode not in ("RGB", "L"):
                        upright = upright.convert("RGB")
                    upright.save(out, format="JPEG", quality=90)
                else:
                    if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                        upright = upright.convert("RGBA")
                    upright.save(out, format="PNG")
                return out.getvalue()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse(
            _("This image would expand to too many pixels and was refused."),
            "image_too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _refuse(damaged, "image_damaged") from error


# --- The whole check -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    display_name: str
    content_type: str
    content: bytes
    sha256: str
    scan_status: str
    scanner: str

    @property
    def size(self) -> int:
        return len(self.content)


def case_too_large() -> ValidationError:
    return _refuse(
        _("The files of one application may add up to %(limit)s MB; this one would go over.")
        % {"limit": _megabytes(max_case_bytes())},
        "case_too_large",
    )


def check_upload(uploaded, *, case_bytes_used: int) -> CheckedFile:
    """Everything above, in order; a ``ValidationError`` on ``file`` says what is wrong."""
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise _refuse(_("This file is empty."), "empty")
    if size > max_file_bytes():
        raise _refuse(too_large_message(), "too_large")
    if case_bytes_used + size > max_case_bytes():
        raise case_too_large()
    uploaded.seek(0)
    data = uploaded.read(max_file_bytes() + 1)
    if not data:
        raise _refuse(_("This file is empty."), "empty")
    content_type = detect_type(data[:16])
    if content_type is None:
        raise _refuse(
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them."),
            "unsupported_type",
        )
    if content_type == PDF:
        check_pdf(data)
    else:
        data = reencode_image(data, content_type)
    scanner = active_scanner()
    try:
        verdict = scanner.scan(data, display_name(getattr(uploaded, "name", "")))
    except ScannerUnavailable as error:
        if not accept_when_unavailable():
            log.warning("upload_scanner_unavailable", scanner=scanner.name, outcome="refused")
            raise _refuse(
                _("Files cannot be checked for viruses just now; please try again later."),
                "scanner_unavailable",
            ) from error
        log.warning("upload_scanner_unavailable", scanner=scanner.name, outcome="not_scanned")
        verdict = ScanResult()
    if verdict.infected:
        # The signature name only: the file's name may itself be personal.
        log.warning("upload_infected", scanner=scanner.name, signature=verdict.detail[:200])
        raise _refuse(
            _("This file contains a virus or other malware (%(signature)s) and was refused.")
            % {"signature": verdict.detail[:100] or _("unnamed")},
            "infected",
        )
    return CheckedFile(
        display_name=display_name(getattr(uploaded, "name", "")),
        content_type=content_type,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        scan_status=ScanStatus.CLEAN if verdict.clean else ScanStatus.NOT_SCANNED,
        scanner=scanner.name,
    )


def store(checked: CheckedFile) -> str:
    """Saves the bytes under a random name through default storage; returns that name."""
    today = timezone.localdate()
    name = f"cases/{today:%Y/%m}/{uuid.uuid4().hex}{EXTENSIONS[checked.content_type]}"
    return default_storage.save(name, ContentFile(checked.content))


def discard(storage_name: str) -> None:
    default_storage.delete(storage_name)
