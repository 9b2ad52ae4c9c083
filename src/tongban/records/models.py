"""Local tables of the built-in record provider: department data keyed by a keyed hash.

No row holds an identifier in clear: ``subject_hash`` is the keyed hash accounts keeps beside
an encrypted document or company number (``Subject.lookup_hash``), so a person's records meet
their account without either side storing the number readable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import RecordKind, Sex

HASH_LENGTH = 64


class RecordHolder(models.Model):
    """The name (and sex) a department has on file for a subject, per kind of record."""

    kind = models.CharField(_("kind"), max_length=32, choices=RecordKind.choices)
    subject_hash = models.CharField(_("subject hash"), max_length=HASH_LENGTH)
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)

    class Meta:
        verbose_name = _("record holder")
        verbose_name_plural = _("record holders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_hash"], name="records_holder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class ContributionMonth(models.Model):
    """社保缴费记录: one month's contribution to one employer's social insurance."""

    subject_hash = models.CharField(_("subject hash"), max_length=HASH_LENGTH, db_index=True)
    month = models.DateField(_("month (its first day)"))
    employer = models.CharField(_("employer"), max_length=200)
    contribution_base = models.DecimalField(_("contribution base"), max_digits=12, decimal_places=2)
    employer_amount = models.DecimalField(_("employer amount"), max_digits=12, decimal_places=2)
    personal_amount = models.DecimalField(_("personal amount"), max_digits=12, decimal_places=2)
    insurance_types = models.JSONField(_("insurance types"), default=list)
    place = models.CharField(_("place of insurance"), max_length=100)

    class Meta:
        verbose_name = _("social insurance contribution month")
        verbose_name_plural = _("social insurance contribution months")
        ordering = ["subject_hash", "month", "employer"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_hash", "month", "employer"], name="records_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.employer}"


class TaxPayment(models.Model):
    """个人所得税缴纳记录: tax paid (or withheld) for one income item and period."""

    subject_hash = models.CharField(_("subject hash"), max_length=HASH_LENGTH, db_index=True)
    income_item = models.CharField(_("income item"), max_length=100)
    period_start = models.DateField(_("tax period from"))
    period_end = models.DateField(_("tax period to"))
    paid_on = models.DateField(_("date paid in"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    withholding_agent = models.CharField(_("withholding agent"), max_length=200, blank=True)
    tax_authority = models.CharField(_("tax authority"), max_length=200)

    class Meta:
        verbose_name = _("tax payment")
        verbose_name_plural = _("tax payments")
        ordering = ["subject_hash", "period_start", "paid_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_hash", "income_item", "period_start", "withholding_agent"],
                name="records_tax_payment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.income_item} {self.period_start}"


class PropertyRight(models.Model):
    """不动产权: a property in the register, as one of its owners' query finds it."""

    subject_hash = models.CharField(_("subject hash"), max_length=HASH_LENGTH, db_index=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    unit_number = models.CharField(_("real estate unit number"), max_length=28)
    location = models.CharField(_("location"), max_length=300)
    owners = models.JSONField(_("owners"), default=list)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2)
    use = models.CharField(_("use"), max_length=60)
    mortgages = models.JSONField(_("mortgages"), default=list)
    seizures = models.JSONField(_("seizures"), default=list)
    objections = models.JSONField(_("objections"), default=list)

    class Meta:
        verbose_name = _("property right")
        verbose_name_plural = _("property rights")
        ordering = ["subject_hash", "certificate_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_hash", "unit_number"], name="records_property_once"
            )
        ]

    def __str__(self) -> str:
        return self.certificate_number


class CompanyRegistration(models.Model):
    """企业登记信息: a company in the market-regulation register, with its credit records."""

    subject_hash = models.CharField(_("subject hash"), max_length=HASH_LENGTH, unique=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("name"), max_length=200)
    company_type = models.CharField(_("type"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    registered_capital = models.CharField(_("registered capital"), max_length=100)
    established_on = models.DateField(_("established on"))
    operating_until = models.DateField(_("operating until"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    scope = models.TextField(_("business scope"))
    status = models.CharField(_("status"), max_length=60)
    licences = models.JSONField(_("licences"), default=list)
    penalties = models.JSONField(_("administrative penalties"), default=list)
    abnormal_listings = models.JSONField(_("abnormal operation listings"), default=list)

    class Meta:
        verbose_name = _("company registration")
        verbose_name_plural = _("company registrations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
