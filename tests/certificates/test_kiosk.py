"""The kiosk's server side: one-time codes, attempts, expiry, idle sessions, no-store."""

import re
import time

import pytest

from tongban.certificates import kiosk
from tongban.documents.models import IssuedDocument

from .conftest import pdf_text

pytestmark = pytest.mark.django_db
MACAU_PHONE = "+85366123456"


@pytest.fixture(autouse=True)
def outbox():
    kiosk.MemorySmsChannel.outbox.clear()
    yield kiosk.MemorySmsChannel.outbox
    kiosk.MemorySmsChannel.outbox.clear()


def sent_code(outbox) -> str:
    phone, message = outbox[-1]
    assert phone == MACAU_PHONE
    return re.search(r"\b(\d{6})\b", message).group(1)


def identify(client, kind="mo-bir", number="1234567(8)"):
    return client.post("/kiosk/", {"kind": kind, "number": number})


def test_the_whole_flow_prints_a_pdf_inline_without_caching(demo, client, outbox):
    start = client.get("/kiosk/")
    assert start.status_code == 200 and start["Cache-Control"].startswith("no-store")
    assert identify(client)["Location"] == "/kiosk/code/"
    assert client.post("/kiosk/code/", {"code": sent_code(outbox)})["Location"] == "/kiosk/choose/"
    choose = client.get("/kiosk/choose/")
    assert "Social insurance certificate" in choose.content.decode()
    preview = client.get("/kiosk/preview/", {"kind": "social_insurance", "language2": "pt"})
    assert "李美玲" in preview.content.decode() and IssuedDocument.objects.count() == 0
    printed = client.post("/kiosk/preview/", {"kind": "social_insurance", "language2": "pt"})
    document = IssuedDocument.objects.get()
    assert printed["Location"] == f"/kiosk/print/{document.number}/"
    assert document.issued_by.startswith("service:kiosk.person-")
    page = client.get(printed["Location"])
    assert document.display_code in page.content.decode()
    pdf = client.get(f"/kiosk/print/{document.number}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["Cache-Control"].startswith("no-store")
    assert "M1*****78" in pdf_text(pdf.content)
    client.post("/kiosk/end/")
    assert client.get(f"/kiosk/print/{document.number}/pdf")["Location"] == "/kiosk/"


def test_unknown_document_gets_the_same_screen_and_no_code_works(demo, client, outbox):
    assert identify(client, "hkid", "A123456(3)")["Location"] == "/kiosk/code/"  # CHAN: known
    outbox.clear()
    assert identify(client, "mo-bir", "7654321(0)")["Location"] == "/kiosk/code/"  # unknown
    assert outbox == []
    answer = client.post("/kiosk/code/", {"code": "123456"})
    assert answer.status_code == 400 and "not right" in answer.content.decode()


def test_invalid_numbers_are_refused_clearly(demo, client):
    answer = identify(client, "hkid", "A123456(4)")
    assert answer.status_code == 400
    assert "check" in answer.content.decode().lower()


def test_wrong_codes_are_limited_and_end_the_session(demo, client, outbox):
    identify(client)
    for _attempt in range(kiosk.MAX_ATTEMPTS):
        assert client.post("/kiosk/code/", {"code": "000000"}).status_code == 400
    right = sent_code(outbox)
    assert client.post("/kiosk/code/", {"code": right})["Location"] == "/kiosk/"
    assert client.get("/kiosk/choose/")["Location"] == "/kiosk/"


def test_codes_expire_after_five_minutes(demo, client, outbox, monkeypatch):
    identify(client)
    code = sent_code(outbox)
    later = time.time() + kiosk.CODE_SECONDS + 1
    monkeypatch.setattr(kiosk.time, "time", lambda: later)
    monkeypatch.setattr(kiosk, "idle_seconds", lambda: 3600)
    assert client.post("/kiosk/code/", {"code": code})["Location"] == "/kiosk/"
    assert client.get("/kiosk/choose/")["Location"] == "/kiosk/"


def test_codes_per_document_are_rate_limited(demo, client, outbox):
    for _request in range(kiosk.CODES_PER_DOCUMENT):
        identify(client)
    answer = identify(client)
    assert answer.status_code == 400 and "15 minutes" in answer.content.decode()
    assert len(outbox) == kiosk.CODES_PER_DOCUMENT


def test_an_idle_session_is_ended_by_the_server(demo, client, outbox, monkeypatch):
    identify(client)
    client.post("/kiosk/code/", {"code": sent_code(outbox)})
    assert client.get("/kiosk/choose/").status_code == 200
    later = time.time() + kiosk.idle_seconds() + 1
    monkeypatch.setattr(kiosk.time, "time", lambda: later)
    ended = client.get("/kiosk/choose/")
    assert ended["Location"] == "/kiosk/"
    assert "without use" in client.get("/kiosk/").content.decode()
    assert kiosk.SESSION_KEY not in client.session


def test_kiosk_holder_cannot_print_someone_elses_certificate(demo, client, outbox):
    from tongban.certificates import services

    other = services.issue_certificate(demo["chan"], "tax")
    identify(client)
    client.post("/kiosk/code/", {"code": sent_code(outbox)})
    assert client.get(f"/kiosk/print/{other.number}/pdf").status_code == 404
    refused = client.get("/kiosk/preview/", {"kind": "company"})
    assert refused.status_code == 403


def test_pages_carry_the_idle_refresh_and_no_inline_script(demo, client, outbox):
    identify(client)
    page = client.get("/kiosk/code/").content.decode()
    assert 'http-equiv="refresh"' in page and "reason=idle" in page
    assert "<script>" not in page and "style=" not in page


def test_logging_channel_never_logs_the_code_and_drops_it_in_production(settings, capsys):
    from structlog.testing import capture_logs

    from tongban.core import dev_outbox

    with capture_logs() as logs:
        kiosk.LoggingSmsChannel().send(MACAU_PHONE, "Tongban kiosk code: 123456.")
    assert logs[-1]["to"] == "+853******56" and logs[-1]["delivered"]
    assert "123456" not in str(logs) and MACAU_PHONE not in str(logs)
    # Outside production the text is printed on the terminal, like the console e-mail backend.
    assert dev_outbox.last_text_to(MACAU_PHONE) == "Tongban kiosk code: 123456."
    assert "Tongban kiosk code: 123456." in capsys.readouterr().out
    settings.PRODUCTION = True
    with capture_logs() as logs:
        kiosk.LoggingSmsChannel().send(MACAU_PHONE, "Tongban kiosk code: 654321.")
    assert "654321" not in str(logs) and not logs[-1]["delivered"]
    assert "654321" not in capsys.readouterr().out


def test_a_subject_never_shows_its_number_in_logs_or_errors():
    from tongban.records import services as records

    subject = records.make_subject("hmt-permit", "M12345678")
    assert "M12345678" not in repr(subject) and "M12345678" not in str(subject)
