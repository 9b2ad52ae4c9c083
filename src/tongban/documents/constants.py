from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    """What the registry says about an issued document; expiry is a matter of its dates."""

    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class VerificationStatus(models.TextChoices):
    """The answer a verifier gets."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Unknown")
    INVALID = "invalid", _("Not genuine")


class Problem(models.TextChoices):
    """Why a token or a PDF does not verify."""

    MALFORMED = "malformed", _("Damaged or not a Tongban token")
    UNKNOWN_KEY = "unknown_key", _("Signed with an unknown key")
    BAD_SIGNATURE = "bad_signature", _("Signature does not match")
    EXPIRED = "expired", _("Expired")
    NOT_PDF = "not_pdf", _("Not a PDF file")
    NO_TOKEN = "no_token", _("No Tongban signature in the PDF")
    PDF_MODIFIED = "pdf_modified", _("The PDF was changed after signing")
