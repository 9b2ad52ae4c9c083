"""Vocabularies of the records app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """The department data a certificate can be built from."""

    SOCIAL_INSURANCE = "social_insurance", _("Social insurance contributions")
    TAX = "tax", _("Individual income tax payments")
    REAL_ESTATE = "real_estate", _("Real estate register")
    COMPANY = "company", _("Company register and credit records")


class InsuranceType(models.TextChoices):
    """The insurance types a 参保证明 lists; values are the department's own names."""

    PENSION = "养老", _("Basic pension insurance")
    UNEMPLOYMENT = "失业", _("Unemployment insurance")
    WORK_INJURY = "工伤", _("Work injury insurance")
    MEDICAL = "职工医保", _("Employees' basic medical insurance")


class InsuranceStatus(models.TextChoices):
    """Derived from the latest contribution month (参保缴费 / 暂停缴费)."""

    CONTRIBUTING = "contributing", _("Contributing")
    SUSPENDED = "suspended", _("Suspended")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "", _("Not recorded")


# Kinds a company is the subject of; the others are about a person.
COMPANY_KINDS = frozenset({RecordKind.COMPANY})
