"""E-mail backends for the tests of interrupted sends: each can say whether a message went out.

``LookupMemoryBackend`` is Django's locmem backend that answers ``delivery_status`` from
``mail.outbox``. ``GatedFileBackend`` is the file backend for a worker in a subprocess: it
writes each message to ``$TONGBAN_TEST_OUTBOX``, and while ``$TONGBAN_TEST_MAIL_GATE`` exists it
waits, ``before`` or ``after`` writing (``$TONGBAN_TEST_MAIL_WAIT``), after touching
``<gate>.entered`` so the test knows the worker is inside the send.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core import mail
from django.core.mail.backends import filebased, locmem

from tongban.notifications.channels import IDEMPOTENCY_HEADER
from tongban.notifications.constants import ChannelReport

GATE_POLL_SECONDS = 0.05


def _report(found: bool) -> str:
    return ChannelReport.DELIVERED if found else ChannelReport.NOT_DELIVERED


class LookupMemoryBackend(locmem.EmailBackend):
    def delivery_status(self, idempotency_key: str) -> str:
        return _report(
            any(m.extra_headers.get(IDEMPOTENCY_HEADER) == idempotency_key for m in mail.outbox)
        )


def outbox_messages(directory: Path, idempotency_key: str) -> int:
    """How many messages carrying ``idempotency_key`` the file backend wrote to ``directory``."""
    header = f"{IDEMPOTENCY_HEADER}: {idempotency_key}\n"
    return sum(path.read_text().count(header) for path in directory.glob("*.log"))


class GatedFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["TONGBAN_TEST_OUTBOX"]
        super().__init__(*args, **kwargs)

    def _wait_at_gate(self, moment: str) -> None:
        gate = Path(os.environ.get("TONGBAN_TEST_MAIL_GATE", "/nonexistent"))
        if os.environ.get("TONGBAN_TEST_MAIL_WAIT") != moment or not gate.exists():
            return
        gate.with_suffix(".entered").touch()
        while gate.exists():
            time.sleep(GATE_POLL_SECONDS)

    def send_messages(self, email_messages):
        self._wait_at_gate("before")
        sent = super().send_messages(email_messages)  # written and closed: on disk now
        self._wait_at_gate("after")
        return sent

    def delivery_status(self, idempotency_key: str) -> str:
        return _report(outbox_messages(Path(self.file_path), idempotency_key) > 0)
