"""Representative flows, every log line captured, then searched for every secret they made.

Sign-up with a phone (an SMS code and an e-mail confirmation link), the password reset (a reset
link, followed, and a new password), the kiosk (a one-time code) and an API token (made,
used, and a wrong one tried). Each secret is taken from where its owner receives it (the
outbox, the terminal, the command's output) and must appear in no log line: neither in what the
code handed to the logger nor in what the log finally printed.
"""

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.log_secrets import LogWatch
from tongban.accounts import services as accounts
from tongban.accounts.constants import Role
from tongban.core import dev_outbox
from tongban.records import services as records

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-battery-42"
NEW_PASSWORD = "Another-long-passphrase-77"
EN = {"accept-language": "en"}


@pytest.fixture
def watch(capfd, caplog):
    """Every log record and event as the code wrote it; ``printed()``: the log as printed —
    structlog's lines on stderr, and the standard records as the console handler left them
    (caplog's handler comes after it)."""
    cache.clear()  # rate limits of earlier tests
    captured = LogWatch(keep_all=True)
    captured.printed = lambda: capfd.readouterr().err + caplog.text
    captured.install()
    yield captured
    captured.uninstall()


def assert_nowhere(watch, secrets: dict[str, str]) -> None:
    raw, printed = "\n".join(watch.texts), watch.printed()
    assert printed  # the log did print lines
    for name, secret in secrets.items():
        assert secret and len(secret) >= 6, name
        assert secret not in raw, f"the code logged the {name}"
        assert secret not in printed, f"the log printed the {name}"


def test_sign_up_confirmation_and_password_reset_log_no_secret(client, watch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    secrets = {"password": PASSWORD, "new password": NEW_PASSWORD}
    signup = {"email": "lee@example.com", "phone": "+852 9123 4567"}
    client.post(
        "/accounts/signup/", {**signup, "password1": PASSWORD, "password2": PASSWORD}, headers=EN
    )
    text = dev_outbox.last_text_to("+85291234567")
    secrets["SMS code"] = re.search(r"code is ([\w-]+)", text).group(1)
    client.post("/accounts/phone/verify/", {"code": secrets["SMS code"]}, headers=EN)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    secrets["confirmation key"] = link.group(1).split("/")[-2]
    client.get(link.group(1), headers=EN)
    client.post(link.group(1), headers=EN)
    client.get(link.group(1) + "x/", headers=EN)  # a mangled link: Django logs its path
    client.post("/accounts/logout/")

    client.post("/accounts/password/reset/", {"email": "lee@example.com"}, headers=EN)
    reset = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    secrets["reset key"] = reset.group(1).split("/")[-2]
    form = client.get(reset.group(1), headers=EN)
    target = form.get("Location", reset.group(1))
    done = client.post(target, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, headers=EN)
    assert done.status_code == 302
    assert client.login(email="lee@example.com", password=NEW_PASSWORD)
    client.get("/accounts/password/reset/key/1-" + secrets["reset key"][::-1] + "/", headers=EN)

    logged = "\n".join(watch.texts)  # the flows did log, just nothing secret
    assert "sms_sent" in logged and "user_signed_in" in logged and "Not Found" in logged
    assert_nowhere(watch, secrets)


def test_the_kiosk_code_is_never_logged(client, watch, settings):
    settings.TONGBAN_KIOSK_SMS_CHANNEL = "log"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    accounts.create_demo_people(PASSWORD)
    records.create_demo_records(None)
    client.post("/kiosk/", {"kind": "mo-bir", "number": "1234567(8)"}, headers=EN)
    text = dev_outbox.sent[-1][1]
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert client.post("/kiosk/code/", {"code": code}, headers=EN)["Location"] == "/kiosk/choose/"
    assert any("kiosk_sms_sent" in line for line in watch.texts)
    assert_nowhere(watch, {"kiosk code": code, "kiosk text": text})


def test_api_tokens_are_never_logged(watch):
    user = get_user_model().objects.create_user(email="api@example.com", password=PASSWORD)
    accounts.assign_role(user, Role.SUPERVISOR)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    output = io.StringIO()
    call_command(
        "create_api_token", user.email, name="integration", stdout=output, stderr=io.StringIO()
    )
    token = re.search(r"\btb_[\w-]+", output.getvalue()).group(0)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    wrong = token[:-4] + "AAAA"
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {wrong}").status_code == 401
    assert_nowhere(watch, {"API token": token, "wrong token": wrong})
