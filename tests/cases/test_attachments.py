"""Upload attacks and the checks that stop them; nothing half-written when anything fails."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tongban.cases import services
from tongban.cases.constants import ScanStatus
from tongban.cases.models import Attachment
from tongban.cases.scanning import ScannerUnavailable, ScanResult, scanners

from .conftest import draft_for, image_bytes, pdf_bytes, upload

MB = 1024 * 1024


def refusal(world, name, content) -> set[str]:
    case = draft_for(world)
    with pytest.raises(ValidationError) as caught:
        services.add_attachment(world.applicant, case.number, upload(name, content))
    assert not Attachment.objects.filter(case=case).exists()
    return {e.code for e in caught.value.error_dict["file"]}


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def pdf_with_javascript() -> bytes:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_open_action(JavaScript("app.alert('hi');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hand_made_pdf(catalog_extra: str) -> bytes:
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{text}\nendobj\n".encode()
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return body


def png_bomb(width=50_000, height=50_000) -> bytes:
    """A small PNG whose header promises 2.5 billion pixels of zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_pdf_with_javascript_is_refused(world):
    assert refusal(world, "form.pdf", pdf_with_javascript()) == {"pdf_active_content"}


@pytest.mark.parametrize(
    "extra",
    [
        "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        "/OpenAction << /S /Launch /F (cmd.exe) >>",
        "/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",  # names spelt with #xx escapes
        "/Names << /EmbeddedFiles << /Names [] >> >>",
    ],
)
def test_pdf_actions_and_embedded_files_are_refused(world, extra):
    assert refusal(world, "x.pdf", hand_made_pdf(extra)) == {"pdf_active_content"}


def test_a_plain_hand_made_pdf_is_accepted(world):
    case = draft_for(world)
    attachment = services.add_attachment(
        world.applicant, case.number, upload("ok.pdf", hand_made_pdf(""))
    )
    assert attachment.content_type == "application/pdf"


def test_encrypted_and_damaged_pdfs_are_refused(world):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert refusal(world, "locked.pdf", out.getvalue()) == {"pdf_encrypted"}
    assert refusal(world, "broken.pdf", b"%PDF-1.7\nnot really a pdf") == {"pdf_damaged"}


def test_a_decompression_bomb_named_png_is_refused_cleanly(world):
    assert refusal(world, "photo.png", png_bomb()) == {"image_too_many_pixels"}


def test_a_zip_bomb_named_png_is_refused_by_its_content(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * 5 * MB)
    assert refusal(world, "photo.png", out.getvalue()) == {"unsupported_type"}


def test_types_come_from_content_not_names(world):
    assert refusal(world, "report.pdf", b"MZ\x90\x00 an executable") == {"unsupported_type"}
    case = draft_for(world)
    attachment = services.add_attachment(
        world.applicant, case.number, upload("scan.txt", image_bytes("PNG"))
    )
    assert attachment.content_type == "image/png"


def test_an_empty_file_is_refused(world):
    assert refusal(world, "empty.pdf", b"") == {"empty"}


def test_a_path_as_a_name_is_only_a_label(world, settings):
    case = draft_for(world)
    attachment = services.add_attachment(
        world.applicant, case.number, upload("../../etc/passwd", pdf_bytes())
    )
    assert attachment.original_name == "passwd"
    assert attachment.storage_name.startswith("cases/") and ".." not in attachment.storage_name
    [stored] = stored_files(settings)
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.name != "passwd" and stored.suffix == ".pdf"


def test_images_lose_their_metadata(world, settings):
    from PIL import Image

    original = image_bytes("JPEG", exif=True)
    assert Image.open(io.BytesIO(original)).getexif()
    case = draft_for(world)
    attachment = services.add_attachment(world.applicant, case.number, upload("me.jpg", original))
    [stored] = stored_files(settings)
    data = stored.read_bytes()
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"SecretCam" not in data
    import hashlib

    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.scan_status == ScanStatus.NOT_SCANNED and attachment.scanner == "none"


def test_size_limits_per_file_and_per_case(world, settings):
    settings.TONGBAN_UPLOAD_MAX_FILE_BYTES = 2000
    assert refusal(world, "big.pdf", pdf_bytes(b"%" + b"0" * 3000)) == {"too_large"}
    settings.TONGBAN_UPLOAD_MAX_FILE_BYTES = 20 * MB
    settings.TONGBAN_UPLOAD_MAX_CASE_BYTES = len(pdf_bytes()) * 2 + 10
    case = draft_for(world)
    for _ in range(2):
        services.add_attachment(world.applicant, case.number, upload("a.pdf", pdf_bytes()))
    with pytest.raises(ValidationError) as caught:
        services.add_attachment(world.applicant, case.number, upload("c.pdf", pdf_bytes()))
    assert caught.value.error_dict["file"][0].code == "case_too_large"
    assert case.attachments.count() == 2


class LazyZeros(io.RawIOBase):
    """A request body of ``size`` bytes, made as it is read, counting what was read."""

    def __init__(self, head: bytes, size: int):
        self.head, self.size, self.read_so_far = head, size, 0

    def readable(self):
        return True

    def read(self, n=-1):
        left = self.size - self.read_so_far
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_so_far
        self.read_so_far += n
        piece = self.head[start : start + n]
        return piece + b"0" * (n - len(piece))

    def readline(self, limit=-1):
        return self.read(limit if limit and limit > 0 else 64 * 1024)


def post_body(client, path, body_stream, size):
    # No ``data``: the test client would build the body in memory; this stream is lazy.
    environ = {
        "wsgi.input": body_stream,
        "CONTENT_LENGTH": str(size),
        "CONTENT_TYPE": "multipart/form-data; boundary=XyZ",
    }
    return client.generic("POST", path, **environ)


def test_a_200_mb_upload_is_refused_without_reading_it(world, settings):
    case = draft_for(world)
    client = Client()
    client.force_login(world.applicant)
    size = 200 * MB
    head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-'
    body = LazyZeros(head, size)
    response = post_body(client, f"/api/v1/cases/{case.number}/attachments", body, size)
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
    assert body.read_so_far < MB
    assert not case.attachments.exists() and not stored_files(settings)


def test_a_file_growing_past_the_limit_is_dropped_while_streaming(world, settings):
    settings.TONGBAN_UPLOAD_MAX_FILE_BYTES = 100 * 1024
    case = draft_for(world)
    client = Client()
    client.force_login(world.applicant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.pdf", pdf_bytes(b"%" + b"0" * 300 * 1024))
    response = client.post(f"/api/v1/cases/{case.number}/attachments", {"file": big})
    assert response.status_code == 413
    assert not case.attachments.exists()


class Infected:
    name = "test-infected"

    def scan(self, data, display_name):
        return ScanResult(infected=True, detail="EICAR")


class Down:
    name = "test-down"

    def scan(self, data, display_name):
        raise ScannerUnavailable("clamd does not answer")


@pytest.mark.parametrize(
    ("scanner", "code"), [(Infected(), "infected"), (Down(), "scanner_unavailable")]
)
def test_the_scanner_hook(world, settings, scanner, code):
    scanners.register(scanner.name, scanner)
    settings.TONGBAN_UPLOAD_SCANNER = scanner.name
    try:
        assert refusal(world, "a.pdf", pdf_bytes()) == {code}
        assert not stored_files(settings)
    finally:
        scanners.unregister(scanner.name)


def test_a_failure_after_storing_leaves_no_file_and_no_row(world, settings, monkeypatch):
    from tongban.cases import services as case_services

    case = draft_for(world)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(case_services, "record_event", broken)
    with pytest.raises(RuntimeError):
        services.add_attachment(world.applicant, case.number, upload("a.pdf", pdf_bytes()))
    assert not Attachment.objects.exists()
    assert not stored_files(settings)
