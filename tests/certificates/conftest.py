import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from tongban.accounts import services as accounts
from tongban.documents import keys
from tongban.records import services as records
from tongban.records.demo import company_uscc

PUBLIC_URL = "https://tongban.test"
PASSWORD = "demo-password-123"
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def certificate_settings(settings, tmp_path):
    """Keys, files and rate limits of each test in its own corner."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TONGBAN_SIGNING_KEYS = []
    settings.TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS = []
    settings.TONGBAN_PUBLIC_URL = PUBLIC_URL
    settings.TONGBAN_KIOSK_SMS_CHANNEL = "memory"
    settings.PRODUCTION = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    keys.forget_keys()
    yield settings
    keys.forget_keys()


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (their msgids); the default language is 简体."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def demo(db):
    """The demo people and their department records; the users by short name."""
    cache.clear()
    accounts.create_demo_people(PASSWORD)
    records.create_demo_records(TODAY)
    users = get_user_model().objects
    yield {
        "lei": users.get(email="lei.meileng@demo.tongban.invalid"),
        "chan": users.get(email="chan.taiman@demo.tongban.invalid"),
        "wong": users.get(email="wong.siuming@demo.tongban.invalid"),
        "santos": users.get(email="maria.santos@demo.tongban.invalid"),
        "lei_permit": records.make_subject("hmt-permit", "M12345678"),
        "chan_permit": records.make_subject("hmt-permit", "H12345678"),
        "company": records.make_subject("uscc", company_uscc()),
    }
    cache.clear()


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace removed: wrapped cells read as one string."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def decode_qr(data: bytes, tmp_path) -> str:
    """The QR code's text on page 1, rendered by poppler and read by zbar."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install poppler-utils zbar-tools)"
        )
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()
