"""What a verifier is told: ``VerificationResult`` and how it is built from a registry row or
from signed claims. Status, kind, masked holder, dates and what the document states (its
signed facts: period, totals, a digest of its table); never more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from . import signing
from .codes import describe_facts, kind_label
from .constants import DocumentStatus, Problem, VerificationStatus
from .models import IssuedDocument


@dataclass(frozen=True)
class VerificationResult:
    """What a verifier learns: status, kind, masked holder, dates and the signed facts."""

    status: VerificationStatus
    kind: str | None = None
    number: str | None = None
    holder_masked: str | None = None
    issued_at: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    problem: Problem | None = None
    registry_checked: bool = False
    facts: dict[str, Any] | None = None  # what the document states, as signed

    @property
    def statements(self) -> list[tuple[str, str]]:
        """The signed facts as (label, value) lines in the active language."""
        return describe_facts(self.kind, self.facts) if self.kind else []

    @property
    def kind_label(self) -> str | None:
        return kind_label(self.kind) if self.kind else None

    @property
    def is_valid(self) -> bool:
        return self.status == VerificationStatus.VALID

    @property
    def message(self) -> str:
        if self.problem is not None:
            return str(signing.PROBLEM_MESSAGES[self.problem])
        return {
            VerificationStatus.VALID: _("This document is genuine and valid."),
            VerificationStatus.EXPIRED: _("This document is genuine, but its validity has ended."),
            VerificationStatus.REVOKED: _("This document was revoked by the issuing office."),
            VerificationStatus.UNKNOWN: _("No document with this verification code is known."),
            VerificationStatus.INVALID: _("This document is not genuine."),
        }[VerificationStatus(self.status)]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            kind_label=self.kind_label,
            message=self.message,
            statements=[{"label": label, "value": value} for label, value in self.statements],
        )
        return data


def result_from_record(document: IssuedDocument, *, at: dt.datetime | None = None):
    if document.status == DocumentStatus.REVOKED:
        status = VerificationStatus.REVOKED
    elif document.is_expired(at):
        status = VerificationStatus.EXPIRED
    else:
        status = VerificationStatus.VALID
    return VerificationResult(
        status=status,
        kind=document.kind,
        number=document.number,
        holder_masked=document.holder_masked,
        issued_at=document.issued_at,
        valid_until=document.valid_until,
        revoked_at=document.revoked_at,
        registry_checked=True,
        facts=_facts(document.payload),
    )


def _facts(claims: Mapping[str, Any] | None) -> dict[str, Any] | None:
    facts = (claims or {}).get("facts")
    return facts if isinstance(facts, dict) else None


def claims_time(claims: Mapping[str, Any], name: str) -> dt.datetime | None:
    value = claims.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def result_from_claims(claims: Mapping[str, Any], status: VerificationStatus):
    return VerificationResult(
        status=status,
        kind=str(claims.get("kind", "")) or None,
        number=str(claims.get("no", "")) or None,
        holder_masked=str(claims.get("hm", "")) or None,
        issued_at=claims_time(claims, "iat"),
        valid_until=claims_time(claims, "exp"),
        facts=_facts(claims),
    )
