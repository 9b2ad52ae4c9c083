"""Vocabularies of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.accounts.identifiers import IdentifierKind

# The documents a person holds (IdentifierKind also has company numbers, which persons don't).
PERSON_DOCUMENT_KINDS = (
    IdentifierKind.HKID,
    IdentifierKind.MACAU_BIR,
    IdentifierKind.MAINLAND_TRAVEL_PERMIT,
    IdentifierKind.HKMO_RESIDENCE_PERMIT,
    IdentifierKind.MAINLAND_RESIDENT_ID,
    IdentifierKind.PASSPORT,
)
PERSON_DOCUMENT_CHOICES = [(kind.value, kind.label) for kind in PERSON_DOCUMENT_KINDS]


class Region(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong")
    MACAU = "MO", _("Macao")
    MAINLAND = "CN", _("Mainland China")


# The country calling code expected for a phone number of each region.
REGION_CALLING_CODE = {Region.HONG_KONG: 852, Region.MACAU: 853, Region.MAINLAND: 86}


class CompanyIdentifierKind(models.TextChoices):
    USCC = IdentifierKind.USCC.value, _("Unified social credit code")
    HK_BUSINESS_REGISTRATION = (
        IdentifierKind.HK_BUSINESS_REGISTRATION.value,
        _("Hong Kong business registration number"),
    )
    MACAU_REGISTRATION = "mo-registration", _("Macao commercial registration number")


class AuthorisationScope(models.TextChoices):
    APPLY = "apply", _("Apply for services")
    RECEIVE_RESULTS = "receive_results", _("Receive results")
    CERTIFICATES = "certificates", _("Obtain certificates")
    MANAGE = "manage", _("Manage who may act for the company")


class Role(models.TextChoices):
    ZONE_CLERK = "zone_clerk", _("Zone clerk")
    DEPARTMENT_REVIEWER = "department_reviewer", _("Department reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    CATALOG_EDITOR = "catalog_editor", _("Catalog editor")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# Not a staff role: every signed-in person acts as an applicant for their own affairs.
APPLICANT = "applicant"


class ConsentPurpose(models.TextChoices):
    CASE_PROCESSING = "case_processing", _("Handling my applications in Jiangmen")
    EVIDENCE_EXCHANGE = "evidence_exchange", _("Fetching my records from mainland departments")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At a service zone counter")


class DataRequestKind(models.TextChoices):
    EXPORT = "export", _("Download my data")
    DELETION = "deletion", _("Delete my account")


class DataRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
