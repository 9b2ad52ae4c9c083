"""Local accounts: sign-up, sign-in by e-mail or phone, sign-out, password reset.

Wrong passwords and their growing delays: ``test_signin_throttle``."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from structlog.testing import capture_logs

from tests.accounts.conftest import PASSWORD
from tongban.accounts.signin import phones
from tongban.core import dev_outbox

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post(
        "/accounts/login/", {"login": login, "password": password}, headers=EN, **extra
    )


def confirmation_link(email: str) -> str:
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_a_resident_signs_up_confirms_the_address_and_is_signed_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "lee@example.com", "password1": PASSWORD, "password2": PASSWORD},
        headers=EN,
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user(client) is None  # not before the address is proven

    client.post(confirmation_link("lee@example.com"))

    user = signed_in_user(client)
    assert user.email == "lee@example.com"
    assert user.check_password(PASSWORD)


def test_sign_up_refuses_a_weak_password_and_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "lee@example.com", "password1": "12345678", "password2": "12345678"},
        headers=EN,
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_sign_in_by_email_and_sign_out(client, make_user):
    user = make_user("chan@example.com")

    response = sign_in(client, "chan@example.com")
    assert response.status_code == 302
    assert signed_in_user(client) == user
    assert "/accounts/security/" in client.get("/").content.decode()  # header link

    client.post("/accounts/logout/")
    assert signed_in_user(client) is None


def test_sign_in_by_phone_after_verifying_it_by_sms(client, make_user):
    user = make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    with capture_logs() as logs:
        client.post("/accounts/phone/change/", {"phone": "+853 6612 3456"}, headers=EN)
    # The log shows no whole number and no code: the text went to the development outbox.
    (sent,) = [event for event in logs if event["event"] == "sms_sent"]
    assert sent["to"] == "+853******56" and "66123456" not in str(sent)
    text = dev_outbox.last_text_to("+85366123456")
    code = re.search(r"code is ([\w-]+)", text).group(1)
    assert code not in str(logs)
    client.post("/accounts/phone/verify/", {"code": code}, headers=EN)
    assert phones.get_phone(user) == ("+85366123456", True)
    client.post("/accounts/logout/")

    response = sign_in(client, "+853 6612-3456")

    assert response.status_code == 302
    assert signed_in_user(client) == user


def test_a_phone_number_of_the_wrong_shape_is_explained(client, make_user):
    make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    response = client.post("/accounts/phone/change/", {"phone": "+853 12"}, headers=EN)
    assert "This is not a valid phone number for +853." in response.content.decode()


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_user):
    make_user("chan@example.com")

    unknown = sign_in(client, "nobody@example.com", "wrong password 1")
    wrong = sign_in(client, "chan@example.com", "wrong password 1")

    def error_text(response):
        html = response.content.decode()
        return re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', html, re.S)

    assert unknown.status_code == wrong.status_code == 200
    assert error_text(unknown) == error_text(wrong) != []
    assert signed_in_user(client) is None


def test_sign_up_with_a_taken_email_does_not_reveal_the_account(client, make_user):
    make_user("chan@example.com")
    response = client.post(
        "/accounts/signup/",
        {"email": "chan@example.com", "password1": PASSWORD, "password2": PASSWORD},
        headers=EN,
    )
    fresh = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        headers=EN,
    )
    # The same answer as a fresh sign-up: "check your e-mail"; the owner is told by mail.
    assert (response.status_code, response["Location"]) == (fresh.status_code, fresh["Location"])
    assert get_user_model().objects.filter(email="chan@example.com").count() == 1
    assert signed_in_user(client) is None
    assert "chan@example.com" in mail.outbox[0].to


def test_password_reset_by_email(client, make_user):
    user = make_user("chan@example.com")

    client.post("/accounts/password/reset/", {"email": "chan@example.com"}, headers=EN)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )

    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_email_looks_the_same(client, make_user):
    make_user("chan@example.com")
    known = client.post("/accounts/password/reset/", {"email": "chan@example.com"}, headers=EN)
    unknown = client.post("/accounts/password/reset/", {"email": "who@example.com"}, headers=EN)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_script_in_the_login_field_is_shown_escaped(client):
    response = sign_in(client, "<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sign_up_with_a_phone_proves_the_number_then_the_address(client):
    with capture_logs() as logs:
        response = client.post(
            "/accounts/signup/",
            {
                "email": "lee@example.com",
                "phone": "+852 9123 4567",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            headers=EN,
        )
    assert response["Location"] == "/accounts/phone/verify/"
    assert [event for event in logs if event["event"] == "sms_sent"]
    code = re.search(r"code is ([\w-]+)", dev_outbox.last_text_to("+85291234567")).group(1)
    assert code not in str(logs)

    client.post("/accounts/phone/verify/", {"code": code}, headers=EN)
    client.post(confirmation_link("lee@example.com"))

    user = signed_in_user(client)
    assert user.email == "lee@example.com"
    assert phones.get_phone(user) == ("+85291234567", True)
    assert user.phone == "+85291234567"  # the profile's contact number follows


def test_a_wrong_sms_code_does_not_verify_the_number(client, make_user):
    user = make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    client.post("/accounts/phone/change/", {"phone": "+853 6612 3456"}, headers=EN)

    response = client.post("/accounts/phone/verify/", {"code": "AAAA-AAAA"}, headers=EN)

    assert response.status_code == 200
    assert phones.get_phone(user) is None


@pytest.mark.parametrize("field", ["email", "phone", "password1"])
def test_ten_thousand_characters_in_a_sign_up_field_are_refused_calmly(client, field):
    data = {"email": "lee@example.com", "password1": PASSWORD, "password2": PASSWORD}
    data[field] = "<b>" + "x" * 10_000
    response = client.post("/accounts/signup/", data, headers=EN)
    assert response.status_code == 200
    assert "<b>xxxx" not in response.content.decode()
    assert not get_user_model().objects.exists()


def test_ten_thousand_characters_as_login_are_refused_calmly(client):
    response = sign_in(client, "x" * 10_000 + "@example.com", "y" * 10_000)
    assert response.status_code == 200
    assert signed_in_user(client) is None
