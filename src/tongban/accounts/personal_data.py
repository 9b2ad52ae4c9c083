"""Download my data (PIPL art. 45): the whole archive, and the accounts app's part of it.

``export_personal_data`` checks who asks, builds the zip through ``core.personal_data`` into
a temporary file (every app's registered exporter adds its sections and files), records the
request and audits it. Identity numbers are in full for their holder, masked for anyone else,
the rule of the profile page. A company's number is in full only on an authorisation in
force today: once revoked or expired, the person no longer acts for the company and the
number is shown masked.
"""

from __future__ import annotations

import tempfile
from typing import IO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from tongban.accounts import trail
from tongban.accounts.applicants import Authorisation, Person
from tongban.accounts.constants import DataRequestKind, DataRequestStatus
from tongban.accounts.permissions import Action, require, sees_full_identifiers
from tongban.accounts.privacy import DataRequest
from tongban.core import audit
from tongban.core import personal_data as archive
from tongban.core.personal_data import ExportScope, Section, when

AUDIT_EVENTS_MAX = 1000
SESSIONS_MAX = 200


def export_personal_data(actor, person: Person) -> IO[bytes]:
    """The person's archive as a zip in a temporary file, read from its start.

    The caller streams it out and closes it (closing deletes it). Raises ``PermissionDenied``
    for anyone but the person and administrators.
    """
    require(actor, Action.PERSON_EXPORT, person)
    scope = ExportScope(person=person, full_identifiers=sees_full_identifiers(actor, person))
    # On disk, not in memory; unnamed on Linux, gone when closed. The response closes it.
    destination = tempfile.TemporaryFile(prefix="tongban-export-")  # noqa: SIM115
    try:
        manifest = archive.write_archive(scope, destination)
    except BaseException:
        destination.close()
        raise
    destination.seek(0)
    with transaction.atomic():
        DataRequest.objects.create(
            person=person,
            kind=DataRequestKind.EXPORT,
            status=DataRequestStatus.COMPLETED,
            completed_at=timezone.now(),
        )
        # Counts only: the archive's contents never go into the append-only log.
        trail.record(
            "personal_data_exported",
            actor,
            "accounts.person",
            person.pk,
            sections=len(manifest["sections"]),
            files=len(manifest["files"]),
        )
    return destination


# --- The accounts app's sections ------------------------------------------------------------


def _account(user) -> dict | None:
    if user is None:
        return None
    return {
        "email": user.email,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "date_joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # Which second factors exist and when they were used; never their secrets.
        "second_factors": [
            {
                "type": a.type,
                "created_at": when(a.created_at),
                "last_used_at": when(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "linked_sign_in_providers": [
            {
                "provider": a.provider,
                "account_id": a.uid,
                "linked_at": when(a.date_joined),
                "last_login": when(a.last_login),
            }
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "started_at": when(s.created_at),
                "last_seen_at": when(s.last_seen_at),
            }
            for s in UserSession.objects.filter(user=user).order_by("-pk")[:SESSIONS_MAX]
        ],
    }


def _person(person: Person) -> dict:
    return {
        "name_zh": person.name_zh,
        "name_en": person.name_en,
        "phone": person.phone,
        "email": person.email,
        "preferred_language": person.preferred_language,
        "address_region": person.address_region,
        "address_lines": person.address_lines,
        "registered_at_zone": person.registered_at_zone.code if person.registered_at_zone else None,
        "created_at": when(person.created_at),
        "updated_at": when(person.updated_at),
    }


def _identity_documents(person: Person, full: bool) -> list[dict]:
    return [
        {
            "kind": document.kind,
            "kind_label": str(document.get_kind_display()),
            "number": document.number if full else document.number_masked,
            "masked": not full,
            "expires_on": when(document.expires_on),
            "added_at": when(document.added_at),
        }
        for document in person.documents.all()
    ]


def _authorisations(person: Person) -> list[dict]:
    now = timezone.now()
    rows = []
    for authorisation in (
        Authorisation.objects.filter(person=person).select_related("company").order_by("pk")
    ):
        company = authorisation.company
        in_force = authorisation.is_valid_at(now)
        rows.append(
            {
                "company_name_zh": company.name_zh,
                "company_name_en": company.name_en,
                "company_identifier_kind": company.identifier_kind,
                "company_identifier": company.identifier if in_force else company.identifier_masked,
                "company_identifier_masked": not in_force,
                "scope": authorisation.scope,
                "in_force": in_force,
                "valid_from": when(authorisation.valid_from),
                "valid_until": when(authorisation.valid_until),
                "revoked_at": when(authorisation.revoked_at),
            }
        )
    return rows


def _consents(person: Person) -> list[dict]:
    return [
        {
            "purpose": consent.purpose,
            "recipient": consent.recipient,
            "text_shown": consent.text_shown,
            "text_version": consent.text_version,
            "text_language": consent.text_language,
            "channel": consent.channel,
            "recorded_at_counter": consent.recorded_by_id is not None
            and consent.recorded_by_id != person.user_id,
            "given_at": when(consent.given_at),
            "withdrawn_at": when(consent.withdrawn_at),
        }
        for consent in person.cross_border_consents.all()
    ]


def _data_requests(person: Person) -> list[dict]:
    return [
        {
            "kind": request.kind,
            "status": request.status,
            "reason": request.reason,
            "requested_at": when(request.requested_at),
            "completed_at": when(request.completed_at),
        }
        for request in person.data_requests.all()
    ]


def _by_whom(actor: str, person: Person) -> str:
    """The audit actor as the person may read it: them, the system, or staff (no staff ids)."""
    if person.user_id and actor == f"user:{person.user_id}":
        return "you"
    if actor.startswith(("staff:", "user:")):
        return "staff"
    return "system"


def _account_events(person: Person) -> list[dict]:
    """The security trail of the person and their sign-in account (the audit log's rows)."""
    rows = audit.events_for("accounts.person", person.pk, limit=AUDIT_EVENTS_MAX)
    if person.user_id:
        rows += audit.events_for("accounts.user", person.user_id, limit=AUDIT_EVENTS_MAX)
    rows.sort(key=lambda row: row.sequence)
    return [
        {
            "event": row.event,
            "at": when(row.created_at),
            "by": _by_whom(row.actor, person),
            "details": row.payload,
        }
        for row in rows
    ]


def export_account(scope: ExportScope):
    """The ``accounts`` exporter: profile, sign-in account, documents, companies, consent."""
    person = Person.objects.select_related("user", "registered_at_zone").get(pk=scope.person.pk)
    yield Section(
        "profile",
        {"person": _person(person), "account": _account(person.user)},
    )
    yield Section("identity_documents", _identity_documents(person, full=scope.full_identifiers))
    yield Section("company_authorisations", _authorisations(person))
    yield Section("cross_border_consents", _consents(person))
    yield Section("data_requests", _data_requests(person))
    yield Section("account_events", _account_events(person))


def register() -> None:
    """Called once from ``AccountsConfig.ready``."""
    if "accounts" not in archive.exporters:
        archive.exporters.register("accounts", export_account)
