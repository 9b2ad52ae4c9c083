import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError


@pytest.mark.django_db
def test_user_signs_in_by_email():
    user = get_user_model().objects.create_user(email="Chan.TaiMan@Example.com", password="x" * 12)
    assert user.email == "Chan.TaiMan@example.com"
    assert authenticate(email="Chan.TaiMan@example.com", password="x" * 12) == user


@pytest.mark.django_db
def test_email_is_unique():
    users = get_user_model().objects
    users.create_user(email="a@example.com")
    with pytest.raises(IntegrityError):
        users.create_user(email="a@example.com")


@pytest.mark.django_db
def test_phone_must_be_e164():
    user = get_user_model()(email="b@example.com", phone="9123 4567")
    with pytest.raises(ValidationError):
        user.full_clean()
    user.phone = "+85291234567"
    user.set_unusable_password()
    user.full_clean()
