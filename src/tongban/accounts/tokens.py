"""API tokens for staff integrations: shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from tongban.accounts import trail
from tongban.accounts.staff import ApiToken

TOKEN_PREFIX = "tb_"  # noqa: S105  (a marker, not a secret)


def _hash(token: str) -> str:
    # The token is 256 random bits: a plain hash cannot be brute-forced, and needs no key.
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (the stored record, the token to hand over once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, name=name[:100], prefix=token[:10], token_hash=_hash(token)
        )
        trail.record("api_token_created", None, "accounts.user", user.pk, token=record.pk)
    return record, token


def authenticate_api_token(token: str):
    """The active user holding ``token``, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


def revoke_api_token(record: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        trail.record("api_token_revoked", None, "accounts.user", record.user_id, token=record.pk)
