"""The ClamAV upload scanner: clamd's INSTREAM command over a Unix socket or TCP.

``TONGBAN_UPLOAD_SCANNER=clamav`` turns it on. It connects to ``TONGBAN_CLAMD_SOCKET`` when set,
else to ``TONGBAN_CLAMD_HOST``:``TONGBAN_CLAMD_PORT`` (127.0.0.1:3310), and gives up after
``TONGBAN_CLAMD_TIMEOUT`` seconds of silence. The protocol (clamd(8)): send ``zINSTREAM\\0``,
then the file as chunks each prefixed by its length (4 bytes, network order), then a zero
length; clamd answers ``stream: OK``, ``stream: <signature> FOUND`` or ``<reason> ERROR``, ended
by a NUL byte. ``zPING\\0`` is answered ``PONG``.

A file found infected is refused; clamd unreachable, silent or answering ERROR (e.g. a file over
its ``StreamMaxLength``) raises ``ScannerUnavailable``, and ``TONGBAN_UPLOAD_SCANNER_UNAVAILABLE``
decides what the upload does then. docs/malware-scanning.md tells how to install clamd.
"""

from __future__ import annotations

import socket
import struct

from django.conf import settings

from .scanning import ScannerUnavailable, ScanResult

CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096
END_OF_STREAM = struct.pack(">I", 0)


class ClamdScanner:
    name = "clamav"

    def scan(self, data: bytes, display_name: str) -> ScanResult:
        reply = self._ask(b"zINSTREAM\0", data)
        if reply.endswith(" FOUND"):
            signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
            return ScanResult(infected=True, detail=signature)
        if reply == "stream: OK":
            return ScanResult(clean=True)
        # "INSTREAM size limit exceeded. ERROR" and the like: the file was not judged.
        raise ScannerUnavailable(f"clamd did not scan the file: {reply[:200]}")

    def check(self) -> str | None:
        try:
            reply = self._ask(b"zPING\0")
        except ScannerUnavailable as error:
            return str(error)
        return None if reply == "PONG" else f"clamd answered {reply[:100]!r} to PING"

    def where(self) -> str:
        path = getattr(settings, "TONGBAN_CLAMD_SOCKET", "")
        if path:
            return path
        return f"{settings.TONGBAN_CLAMD_HOST}:{settings.TONGBAN_CLAMD_PORT}"

    def _connect(self) -> socket.socket:
        timeout = float(getattr(settings, "TONGBAN_CLAMD_TIMEOUT", 30))
        path = getattr(settings, "TONGBAN_CLAMD_SOCKET", "")
        if path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(timeout)
            try:
                connection.connect(path)
            except OSError:
                connection.close()
                raise
            return connection
        address = (settings.TONGBAN_CLAMD_HOST, int(settings.TONGBAN_CLAMD_PORT))
        return socket.create_connection(address, timeout=timeout)

    def _ask(self, command: bytes, data: bytes | None = None) -> str:
        try:
            with self._connect() as connection:
                connection.sendall(command)
                if data is not None:
                    self._stream(connection, data)
                return self._reply(connection)
        except TimeoutError as error:
            raise ScannerUnavailable(f"clamd at {self.where()} did not answer in time") from error
        except OSError as error:
            raise ScannerUnavailable(
                f"clamd at {self.where()} is unreachable: {type(error).__name__}"
            ) from error

    def _stream(self, connection: socket.socket, data: bytes) -> None:
        view = memoryview(data)
        for start in range(0, len(view), CHUNK_BYTES):
            chunk = view[start : start + CHUNK_BYTES]
            connection.sendall(struct.pack(">I", len(chunk)))
            connection.sendall(chunk)
        connection.sendall(END_OF_STREAM)

    def _reply(self, connection: socket.socket) -> str:
        received = b""
        while b"\0" not in received and len(received) < MAX_REPLY_BYTES:
            piece = connection.recv(1024)
            if not piece:
                break
            received += piece
        if not received:
            raise ScannerUnavailable(f"clamd at {self.where()} closed the connection unanswered")
        return received.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
