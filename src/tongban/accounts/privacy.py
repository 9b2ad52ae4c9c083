"""Privacy: cross-border consent (PIPL 单独同意) and a person's requests about their data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.accounts.applicants import Person
from tongban.accounts.constants import (
    ConsentChannel,
    ConsentPurpose,
    DataRequestKind,
    DataRequestStatus,
)
from tongban.accounts.user import Language


class CrossBorderConsent(models.Model):
    """单独同意: a person's separate consent to move their data across the border.

    Keeps the exact text they were shown, its version and language; withdrawal ends it.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="cross_border_consents",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    recipient = models.CharField(_("recipient"), max_length=300)
    text_shown = models.TextField(_("text shown"))
    text_version = models.CharField(_("text version"), max_length=32)
    text_language = models.CharField(_("text language"), max_length=8, choices=Language.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=ConsentChannel.choices, default=ConsentChannel.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cross-border consent")
        verbose_name_plural = _("cross-border consents")
        ordering = ["person", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_purpose_display()} · {self.given_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class DataRequest(models.Model):
    """A person's request to download their data or to delete their account."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="data_requests", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DataRequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DataRequestStatus.choices,
        default=DataRequestStatus.REQUESTED,
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status=DataRequestStatus.REQUESTED),
                name="one_open_data_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.get_status_display()}"
