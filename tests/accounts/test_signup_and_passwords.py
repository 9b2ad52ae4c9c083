"""Sign-up does the same work whether or not the address has an account; passwords are at
least 12 characters and not in the shipped list of breached ones."""

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.exceptions import ValidationError

from tests.accounts.conftest import PASSWORD
from tongban.accounts.passwords import BreachedPasswordValidator

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def sign_up(client, email, password=PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
        headers=EN,
    )


@pytest.fixture
def hashes(monkeypatch):
    """Counts password hashes computed (the tests' hasher is MD5, see conftest)."""
    made = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        made.append(1)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return made


def test_sign_up_hashes_once_and_sends_one_mail_whether_or_not_the_address_exists(
    client, make_user, hashes
):
    make_user("chan@example.com")
    hashes.clear()
    mail.outbox.clear()

    taken = sign_up(client, "chan@example.com")
    work_for_taken = (len(hashes), len(mail.outbox))
    hashes.clear()
    mail.outbox.clear()
    fresh = sign_up(client, "new@example.com")
    work_for_fresh = (len(hashes), len(mail.outbox))

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert work_for_taken == work_for_fresh == (1, 1)
    assert get_user_model().objects.filter(email="chan@example.com").count() == 1


def test_a_password_shorter_than_12_characters_is_refused(client):
    response = sign_up(client, "lee@example.com", "tulip-moon7")  # 11 characters
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("breached", ["qwerty123456", "1qaz2wsx3edc", "QWERTY123456"])
def test_a_breached_password_is_refused_with_a_clear_reason(client, breached):
    response = sign_up(client, "lee@example.com", breached)
    assert response.status_code == 200
    assert "leaked from other sites" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_long_unusual_password_is_accepted(client):
    response = sign_up(client, "lee@example.com", "lantern-orchid-harbour-42")
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="lee@example.com").exists()


def test_the_breached_list_ships_with_the_platform_and_is_read_once():
    validators = [
        validator
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, BreachedPasswordValidator)
    ]
    assert len(validators) == 1
    assert len(validators[0].passwords) > 40_000
    assert validators[0] in password_validation.get_default_password_validators()
    with pytest.raises(ValidationError) as refused:
        validators[0].validate("iloveyou1234")
    assert refused.value.error_list[0].code == "password_breached"
