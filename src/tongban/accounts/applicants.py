"""Applicants (申请人): persons, their identity documents, companies and authorisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import (
    PERSON_DOCUMENT_CHOICES,
    AuthorisationScope,
    CompanyIdentifierKind,
    Region,
)
from tongban.accounts.fields import EncryptedTextField
from tongban.accounts.user import Language, validate_e164

NAME_ZH_MAX = 100
NAME_EN_MAX = 200
ADDRESS_MAX = 500


class Person(models.Model):
    """申请人 (个人): a resident of Hong Kong or Macau (or anyone) who applies for services.

    Linked to a user when they have an account; a clerk may create one at the counter
    without an account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    name_zh = models.CharField(_("name in Chinese"), max_length=NAME_ZH_MAX, blank=True)
    name_en = models.CharField(_("name in English"), max_length=NAME_EN_MAX, blank=True)
    phone = models.CharField(
        _("phone (E.164)"), max_length=16, blank=True, validators=[validate_e164]
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ZH_HANT
    )
    address_region = models.CharField(
        _("address region"), max_length=2, choices=Region.choices, blank=True
    )
    address_lines = models.TextField(_("postal address"), max_length=ADDRESS_MAX, blank=True)
    registered_at_zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_persons",
        verbose_name=_("registered at zone"),
        help_text=_("Set when a clerk registered the person at a counter."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""), name="person_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_zh and self.name_en:
            return f"{self.name_zh} ({self.name_en})"
        return self.name_zh or self.name_en


class IdentityDocument(models.Model):
    """证件: an identity document a person holds. The number is encrypted; a keyed hash finds it."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PERSON_DOCUMENT_CHOICES)
    number = EncryptedTextField(_("number"))
    number_hash = models.CharField(_("number lookup hash"), max_length=64, editable=False)
    number_masked = models.CharField(_("number (masked)"), max_length=32, editable=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["person", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number_hash"], name="identity_document_registered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_masked}"


class Company(models.Model):
    """申请人 (企业): a company from Hong Kong, Macau or the mainland that applies for services."""

    name_zh = models.CharField(_("name in Chinese"), max_length=NAME_EN_MAX, blank=True)
    name_en = models.CharField(_("name in English"), max_length=NAME_EN_MAX, blank=True)
    identifier_kind = models.CharField(
        _("identifier kind"), max_length=32, choices=CompanyIdentifierKind.choices
    )
    identifier = EncryptedTextField(_("identifier"))
    identifier_hash = models.CharField(_("identifier lookup hash"), max_length=64, editable=False)
    identifier_masked = models.CharField(_("identifier (masked)"), max_length=32, editable=False)
    legal_representative = models.CharField(
        _("legal representative"), max_length=NAME_EN_MAX, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_kind", "identifier_hash"], name="company_registered_once"
            ),
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""), name="company_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    @property
    def display_name(self) -> str:
        """Both names when the company has both, as for a person (forms and lists show it)."""
        if self.name_zh and self.name_en:
            return f"{self.name_zh} ({self.name_en})"
        return self.name_zh or self.name_en


class Authorisation(models.Model):
    """授权: a person may act for a company within one scope, for a period, until revoked."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="authorisations", verbose_name=_("person")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="authorisations",
        verbose_name=_("company"),
    )
    scope = models.CharField(_("scope"), max_length=32, choices=AuthorisationScope.choices)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        ordering = ["company", "person", "scope", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="authorisation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.company} ({self.get_scope_display()})"

    def is_valid_at(self, moment) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= moment
            and (self.valid_until is None or moment < self.valid_until)
        )


def valid_authorisations(moment) -> Q:
    """Filter for authorisations in force at ``moment``."""
    return (
        Q(revoked_at__isnull=True)
        & Q(valid_from__lte=moment)
        & (Q(valid_until__isnull=True) | Q(valid_until__gt=moment))
    )
