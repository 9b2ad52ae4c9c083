"""The phone number a user signs in with, and whether its owner proved it by SMS code.

``accounts.User.phone`` is contact data anyone may fill in; a number becomes a sign-in
identifier only through allauth's phone flow, which records it here, one account per number.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInPhone(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_in_phone",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone (E.164)"), max_length=16, unique=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in phone number")
        verbose_name_plural = _("sign-in phone numbers")

    def __str__(self) -> str:
        return f"{self.user} · {self.phone}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None
