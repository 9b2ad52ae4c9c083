"""allauth adapters: phone sign-in storage and SMS, encrypted MFA secrets, staff keep TOTP,
growing delays after wrong passwords (``throttle``)."""

import structlog
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.accounts.signin import phones, sms, throttle
from tongban.accounts.signin.mfa_policy import is_staff_for_mfa
from tongban.core import crypto
from tongban.core.clientaddress import client_address

log = structlog.get_logger("tongban.signin")


class SignInPhoneField(forms.CharField):
    """A phone number in any common spelling (``+853 6612-3456``), cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Phone"))
        kwargs.setdefault("help_text", gettext_lazy("With the country code: +852, +853 or +86."))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return phones.normalise_sign_in_phone(value) if value else value


def vouch_for_operator_created_address(user) -> None:
    """An account with no allauth address record was made by an operator, not by sign-up
    (``createsuperuser``, the admin, demo data, a clerk at the counter): the operator vouched
    for its e-mail address, so record it as verified instead of blocking the first sign-in."""
    if user.email and not EmailAddress.objects.filter(user=user).exists():
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


class AccountAdapter(DefaultAccountAdapter):
    # --- phone numbers (allauth calls these when "phone" is a login method) ----------------
    def phone_form_field(self, **kwargs):
        return SignInPhoneField(**kwargs)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        phones.set_phone(user, phone, verified)

    def get_phone(self, user) -> tuple[str, bool] | None:
        return phones.get_phone(user)

    def set_phone_verified(self, user, phone: str) -> None:
        phones.set_phone_verified(user, phone)

    def get_user_by_phone(self, phone: str):
        try:
            # The login form hands over the raw text it received.
            phone = phones.normalise_sign_in_phone(phone)
        except ValidationError:
            return None
        return phones.user_by_phone(phone)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        sms.send_text(
            phone,
            _("Your Tongban verification code is %(code)s.") % {"code": code},
            purpose="verification_code",
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        sms.send_text(
            phone,
            _("Someone asked for a Tongban sign-in code, but no account uses this number."),
            purpose="unknown_account",
        )

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms.send_text(
            phone,
            _(
                "Someone tried to sign up to Tongban with this number, which already has an account."
            ),
            purpose="account_exists",
        )

    def pre_login(self, request, user, **kwargs):
        if not kwargs.get("signup"):
            vouch_for_operator_created_address(user)
        return super().pre_login(request, user, **kwargs)

    # --- events, for the log (ids only: no e-mail address or phone number) ------------------
    def login(self, request, user) -> None:
        super().login(request, user)
        log.info("user_signed_in", user=user.pk)

    def authentication_failed(self, request, **credentials) -> None:
        log.info("sign_in_failed")
        throttle.after_failure(request, credentials)

    # --- wrong passwords: growing delays per account and client, never a lockout ------------
    def get_client_ip(self, request) -> str:
        # allauth's per-address limits (sign-up, password reset, MFA codes) count the client
        # the trusted proxies name, like every other rate limit.
        return client_address(request) or super().get_client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        # Replaces allauth's "login_failed" per-account window, which locked the owner out too.
        throttle.before_password_check(request, credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.after_success(request, credentials)
        return user

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # After a password reset, the new password may be tried at once from here.
        super()._delete_login_attempts_cached_email(request, **credentials)
        throttle.forget_tries(request, credentials)


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        # TOTP secrets and recovery-code seeds are encrypted with the field keys.
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and is_staff_for_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        log.warning(
            "oidc_sign_in_failed",
            provider=getattr(provider, "sub_id", None),
            error=str(error) if error else None,
            exception=type(exception).__name__ if exception else None,
        )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def pre_social_login(self, request, sociallogin) -> None:
        log.info(
            "oidc_sign_in",
            provider=sociallogin.account.provider,
            existing_link=bool(sociallogin.account.pk),
        )
