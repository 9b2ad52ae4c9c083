"""Kiosk sessions (§7): identify by document number and a one-time code sent by text message
to the phone on record, then print certificates until the session ends or idles out.

State lives in the server-side session only; the one-time code is kept as a keyed hash, lasts
5 minutes and allows 5 tries; codes are rate-limited per document and per kiosk address. An
idle session (``TONGBAN_KIOSK_IDLE_SECONDS``, 120 s by default) is flushed on its next request
whatever the browser did, so nothing of the last person survives on the screen or server.
Whether a document is registered is never revealed: an unknown number gets the same "code
sent" screen as a known one.
"""

from __future__ import annotations

import secrets
import time

import structlog
from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tongban.core import audit, dev_outbox, ratelimit
from tongban.core.registries import Registry
from tongban.records import services as records

from .services import KioskHolder

log = structlog.get_logger("tongban.kiosk")

SESSION_KEY = "tongban_kiosk"
CODE_SECONDS = 5 * 60
MAX_ATTEMPTS = 5
RATE_WINDOW_SECONDS = 15 * 60
CODES_PER_DOCUMENT = 3
CODES_PER_KIOSK = 20


class KioskError(Exception):
    def __init__(self, message: str, *, restart: bool = False):
        self.message = message
        self.restart = restart
        super().__init__(message)


# --- Text messages --------------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    return phone[:4] + "*" * max(0, len(phone) - 6) + phone[-2:] if len(phone) > 6 else "***"


class LoggingSmsChannel:
    """The embedded default: the log records that a text went to a masked number, never the
    text (it holds the one-time code); outside production the text is printed on the terminal
    (``core.dev_outbox``), in production it is dropped — configure a gateway."""

    def send(self, phone: str, message: str) -> None:
        delivered = dev_outbox.deliver(phone, message)
        log.info("kiosk_sms_sent", channel="log", to=mask_phone(phone), delivered=delivered)


class MemorySmsChannel:
    """Keeps messages in memory (tests read the code from ``outbox``)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        MemorySmsChannel.outbox.append((phone, message))


sms_channels: Registry = Registry("kiosk text message channel")
sms_channels.register("log", LoggingSmsChannel)
sms_channels.register("memory", MemorySmsChannel)


def send_text(phone: str, message: str) -> None:
    sms_channels.get(getattr(settings, "TONGBAN_KIOSK_SMS_CHANNEL", "log"))().send(phone, message)


# --- Session state ---------------------------------------------------------------------------------


def idle_seconds() -> int:
    return int(getattr(settings, "TONGBAN_KIOSK_IDLE_SECONDS", 120))


def current(request) -> dict | None:
    """The live kiosk state (its idle clock restarted), or None; an idle one is flushed."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    if time.time() - state.get("last_seen", 0) > idle_seconds():
        end(request, reason="idle")
        raise KioskError(_("The session ended after a period without use."), restart=True)
    state["last_seen"] = time.time()
    request.session[SESSION_KEY] = state
    return state


def end(request, *, reason: str = "finished") -> None:
    state = request.session.get(SESSION_KEY) or {}
    if state.get("person_id"):
        log.info("kiosk_session_ended", reason=reason, printed=len(state.get("issued", [])))
    request.session.flush()


def _count(key: str) -> int:
    return ratelimit.count(key, RATE_WINDOW_SECONDS)


def _code_hash(request, code: str) -> str:
    return salted_hmac("tongban-kiosk-code", f"{request.session.session_key}:{code}").hexdigest()


def start_identification(request, kind: str, number: str, client_address: str) -> None:
    """Send a one-time code to the phone on record of this document's holder (if any)."""
    try:
        subject = records.make_subject(kind, number)
        person = records.person_by_document(kind, number)
    except records.InvalidSubject as error:
        raise KioskError(error.message) from error
    window = int(time.time()) // RATE_WINDOW_SECONDS
    if _count(f"kiosk-code:kiosk:{client_address}:{window}") > CODES_PER_KIOSK:
        raise KioskError(_("Too many codes were requested at this kiosk; please ask staff."))
    if _count(f"kiosk-code:document:{subject.lookup_hash}:{window}") > CODES_PER_DOCUMENT:
        raise KioskError(_("Too many codes were sent for this document; try again in 15 minutes."))
    request.session.flush()
    request.session.cycle_key()
    request.session.save()  # a session key to bind the code to
    code = f"{secrets.randbelow(10**6):06d}"
    phone = getattr(person, "phone", "") if person is not None else ""
    request.session[SESSION_KEY] = {
        "stage": "code",
        "person_id": person.pk if person is not None and phone else None,
        "code_hash": _code_hash(request, code),
        "code_expires": time.time() + CODE_SECONDS,
        "attempts": 0,
        "last_seen": time.time(),
        "issued": [],
    }
    if person is not None and phone:
        send_text(
            phone,
            _("Tongban kiosk code: %(code)s. It expires in 5 minutes. Never share it.")
            % {"code": code},
        )
    log.info("kiosk_code_requested", kind=subject.kind, sent=bool(person is not None and phone))


def check_code(request, code: str) -> None:
    """Accept the typed code (the session becomes the holder's), or ``KioskError``."""
    state = current(request)
    if not state or state.get("stage") != "code":
        raise KioskError(_("Start again with your identity document."), restart=True)
    # Counted outside the session: requests sent together each read the same session, so a
    # count kept in it would let all of them through.
    state["attempts"] = ratelimit.hit(
        f"kiosk-attempts:{state['code_hash']}", CODE_SECONDS
    ).count
    request.session[SESSION_KEY] = state
    if state["attempts"] > MAX_ATTEMPTS:
        end(request, reason="attempts")
        raise KioskError(_("Too many wrong codes. Start again."), restart=True)
    if time.time() > state["code_expires"]:
        end(request, reason="code_expired")
        raise KioskError(_("The code has expired. Start again."), restart=True)
    typed = (code or "").strip()
    if not state["person_id"] or not constant_time_compare(
        _code_hash(request, typed), state["code_hash"]
    ):
        raise KioskError(_("This code is not right. Check the text message and try again."))
    person_id = state["person_id"]
    request.session.cycle_key()
    state.update(stage="verified", code_hash="", last_seen=time.time())
    request.session[SESSION_KEY] = state
    with transaction.atomic():
        audit.record(
            "kiosk_session_started",
            actor=f"service:kiosk.person-{person_id}",
            obj_type="person",
            obj_id=person_id,
            payload={"method": "document_and_sms_code"},
        )


def holder(request) -> KioskHolder | None:
    """The verified holder of this kiosk session, or None."""
    state = current(request)
    if not state or state.get("stage") != "verified":
        return None
    person = records.person_by_pk(state["person_id"])
    if person is None:
        end(request, reason="person_gone")
        return None
    return KioskHolder(person=person, kiosk_session=request.session.session_key or "")


def remember_issued(request, number: str) -> None:
    state = current(request)
    state["issued"] = [*state.get("issued", []), number][-10:]
    request.session[SESSION_KEY] = state


def may_print(request, number: str) -> bool:
    state = current(request)
    return bool(state and state.get("stage") == "verified" and number in state.get("issued", []))
