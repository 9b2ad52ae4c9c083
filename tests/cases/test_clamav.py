"""The ClamAV scanner against a small fake clamd speaking INSTREAM (no real ClamAV needed)."""

import shutil
import socket
import socketserver
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from structlog.testing import capture_logs

from tongban.cases import services
from tongban.cases.constants import ScanStatus
from tongban.cases.models import Attachment

from .conftest import draft_for, pdf_bytes, upload

MARKER = b"FAKE-MALWARE-MARKER"
SIGNATURE = "Eicar-Test-Signature"


class FakeClamd:
    """Answers PING with PONG, and INSTREAM by ``mode``: ok, found (when the marker is in the
    stream), error (clamd's size-limit answer), silent (never answers), hangup."""

    def __init__(self, unix_path: str | None = None):
        self.mode = "ok"
        self.streams: list[bytes] = []
        self.chunk_sizes: list[int] = []
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                connection = self.request
                command = b""
                while not command.endswith(b"\0"):
                    piece = connection.recv(1)
                    if not piece:
                        return
                    command += piece
                if command == b"zPING\0":
                    connection.sendall(b"PONG\0")
                    return
                assert command == b"zINSTREAM\0", command
                if fake.mode == "hangup":
                    return
                received = b""
                while True:
                    (length,) = struct.unpack(">I", self._exactly(4))
                    if length == 0:
                        break
                    fake.chunk_sizes.append(length)
                    received += self._exactly(length)
                fake.streams.append(received)
                if fake.mode == "silent":
                    while connection.recv(1024):  # until the client gives up
                        pass
                    return
                if fake.mode == "error":
                    connection.sendall(b"INSTREAM size limit exceeded. ERROR\0")
                elif MARKER in received:
                    connection.sendall(f"stream: {SIGNATURE} FOUND\0".encode())
                else:
                    connection.sendall(b"stream: OK\0")

            def _exactly(self, n: int) -> bytes:
                data = b""
                while len(data) < n:
                    piece = self.request.recv(n - len(data))
                    if not piece:
                        raise ConnectionError("client went away")
                    data += piece
                return data

        if unix_path:
            self.server = socketserver.ThreadingUnixStreamServer(unix_path, Handler)
        else:
            self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def clamd(settings):
    fake = FakeClamd()
    settings.TONGBAN_UPLOAD_SCANNER = "clamav"
    settings.TONGBAN_CLAMD_SOCKET = ""
    settings.TONGBAN_CLAMD_HOST, settings.TONGBAN_CLAMD_PORT = fake.server.server_address
    settings.TONGBAN_CLAMD_TIMEOUT = 2
    settings.TONGBAN_UPLOAD_SCANNER_UNAVAILABLE = "refuse"
    yield fake
    fake.stop()


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused_code(world, content: bytes) -> ValidationError:
    case = draft_for(world)
    with pytest.raises(ValidationError) as caught:
        services.add_attachment(world.applicant, case.number, upload("a.pdf", content))
    return caught.value.error_dict["file"][0]


def test_a_clean_file_is_streamed_in_chunks_and_stored_as_clean(world, settings, clamd):
    content = pdf_bytes(b"%" + b"0" * 200_000)
    case = draft_for(world)
    attachment = services.add_attachment(world.applicant, case.number, upload("a.pdf", content))
    assert attachment.scan_status == ScanStatus.CLEAN and attachment.scanner == "clamav"
    [stored] = stored_files(settings)
    assert clamd.streams == [stored.read_bytes()]  # clamd saw exactly the bytes kept
    assert len(clamd.chunk_sizes) > 1 and max(clamd.chunk_sizes) <= 64 * 1024


def test_an_infected_file_is_refused_with_the_signature_and_nothing_is_stored(
    world, settings, clamd
):
    with capture_logs() as logs:
        error = refused_code(world, pdf_bytes(b"%" + MARKER))
    assert error.code == "infected"
    assert SIGNATURE in error.message
    assert not Attachment.objects.exists() and not stored_files(settings)
    (logged,) = [event for event in logs if event["event"] == "upload_infected"]
    assert logged["signature"] == SIGNATURE and "a.pdf" not in str(logged)


def test_the_upload_page_shows_the_refusal(world, settings, clamd):
    case = draft_for(world)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(world.applicant)
    response = client.post(
        f"/me/cases/{case.number}/materials/",
        {"file": upload("a.pdf", pdf_bytes(b"%" + MARKER)), "requirement": world.required.pk},
    )
    page = response.content.decode()
    assert "contains a virus or other malware" in page and SIGNATURE in page
    assert not Attachment.objects.exists() and not stored_files(settings)


def test_the_api_answers_the_refusal_in_its_error_shape(world, settings, clamd):
    case = draft_for(world)
    client = Client()
    client.force_login(world.applicant)
    response = client.post(
        f"/api/v1/cases/{case.number}/attachments",
        {"file": upload("a.pdf", pdf_bytes(b"%" + MARKER))},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "infected"
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("mode", ["error", "silent", "hangup", "unreachable"])
def test_clamd_not_judging_refuses_the_upload_by_default(world, settings, clamd, mode):
    clamd.mode = mode
    settings.TONGBAN_CLAMD_TIMEOUT = 0.5
    if mode == "unreachable":
        settings.TONGBAN_CLAMD_PORT = a_closed_port()
    with capture_logs() as logs:
        assert refused_code(world, pdf_bytes()).code == "scanner_unavailable"
    assert not Attachment.objects.exists() and not stored_files(settings)
    assert any(event["event"] == "upload_scanner_unavailable" for event in logs)


def test_clamd_unreachable_can_be_set_to_accept_as_not_scanned(world, settings, clamd):
    settings.TONGBAN_CLAMD_PORT = a_closed_port()
    settings.TONGBAN_UPLOAD_SCANNER_UNAVAILABLE = "accept"
    case = draft_for(world)
    with capture_logs() as logs:
        attachment = services.add_attachment(
            world.applicant, case.number, upload("a.pdf", pdf_bytes())
        )
    assert attachment.scan_status == ScanStatus.NOT_SCANNED
    assert len(stored_files(settings)) == 1
    (warning,) = [event for event in logs if event["event"] == "upload_scanner_unavailable"]
    assert warning["log_level"] == "warning" and warning["outcome"] == "not_scanned"


def test_a_unix_socket_works_too(world, settings):
    folder = tempfile.mkdtemp(prefix="clamd-", dir="/tmp")  # short: socket paths are limited
    fake = FakeClamd(unix_path=f"{folder}/clamd.sock")
    try:
        settings.TONGBAN_UPLOAD_SCANNER = "clamav"
        settings.TONGBAN_CLAMD_SOCKET = f"{folder}/clamd.sock"
        settings.TONGBAN_CLAMD_TIMEOUT = 2
        assert refused_code(world, pdf_bytes(b"%" + MARKER)).code == "infected"
        assert services.scanner_health().ok
    finally:
        fake.stop()
        shutil.rmtree(folder)


def test_the_health_page_reports_the_scanner(db, settings, clamd):
    client = Client()
    assert client.get("/healthz").json() == {
        "status": "ok",
        "upload_scanner": "clamav",
        "warnings": [],
    }
    settings.TONGBAN_CLAMD_PORT = a_closed_port()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "warning"
    assert (
        "clamav" in answer.json()["warnings"][0] and "unreachable" in answer.json()["warnings"][0]
    )


def test_the_health_page_warns_in_production_without_a_scanner(db, settings):
    settings.TONGBAN_UPLOAD_SCANNER = "none"
    assert Client().get("/healthz").json()["status"] == "ok"
    settings.PRODUCTION = True
    answer = Client().get("/healthz").json()
    assert answer["status"] == "warning"
    assert "uploads are stored unscanned" in answer["warnings"][0]
