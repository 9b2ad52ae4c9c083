"""Sign-in phone numbers: allauth's phone storage, kept in ``SignInPhone``.

``accounts.User.phone`` mirrors the sign-in number so that the profile shows it, but only a
number recorded here (unique across accounts) signs anyone in.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.signin.models import SignInPhone


def normalise_sign_in_phone(raw: str) -> str:
    """An international number in E.164 form, or a translated ``ValidationError``."""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter the phone number with its country code, for example +853 6612 3456."),
            code="invalid_phone",
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid phone number for +%(code)s.") % {"code": number.country_code},
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@transaction.atomic
def set_phone(user, phone: str, verified: bool) -> None:
    if verified:
        # Proof of the number beats another account's unproven claim to it.
        SignInPhone.objects.filter(phone=phone, verified_at__isnull=True).exclude(
            user=user
        ).delete()
    SignInPhone.objects.update_or_create(
        user=user,
        defaults={"phone": phone, "verified_at": timezone.now() if verified else None},
    )
    if user.phone != phone:
        user.phone = phone
        user.save(update_fields=["phone"])


def get_phone(user) -> tuple[str, bool] | None:
    record = SignInPhone.objects.filter(user=user).first() if user.pk else None
    return (record.phone, record.verified) if record else None


def set_phone_verified(user, phone: str) -> None:
    # allauth's change-number flow calls this alone, without set_phone() first.
    set_phone(user, phone, True)


def user_by_phone(phone: str):
    record = SignInPhone.objects.filter(phone=phone).select_related("user").first()
    return record.user if record else None
