"""Accounts: the sign-in user. The person's own data lives in the applicant models."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.accounts.user import EmailUserManager, Language, validate_e164


class User(AbstractUser):
    """An account that signs in by email, for applicants and staff alike."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(
        _("phone (E.164)"), max_length=16, blank=True, validators=[validate_e164]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ZH_HANT
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


# The applicant, staff and privacy models live in their own modules, by concept.
from tongban.accounts.applicants import (  # noqa: E402
    Authorisation,
    Company,
    IdentityDocument,
    Person,
)
from tongban.accounts.privacy import CrossBorderConsent, DataRequest  # noqa: E402
from tongban.accounts.staff import ApiToken, StaffAssignment  # noqa: E402

__all__ = [
    "ApiToken",
    "Authorisation",
    "Company",
    "CrossBorderConsent",
    "DataRequest",
    "IdentityDocument",
    "Person",
    "StaffAssignment",
    "User",
]
