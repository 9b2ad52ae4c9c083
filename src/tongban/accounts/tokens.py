"""API tokens for staff integrations: shown once, stored only as a SHA-256 hash, scoped,
expiring, and only for staff who sign in with an authenticator app — checked when the token is
made and again at every use, so a holder who loses the staff role or the app loses the token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import token_scopes, trail
from tongban.accounts.permissions import is_staff_member
from tongban.accounts.signin.mfa_policy import has_totp
from tongban.accounts.staff import ApiToken

TOKEN_PREFIX = "tb_"  # noqa: S105  (a marker, not a secret)
LISTED_TOKENS = 100  # the security page lists at most this many, newest first


class TokenScopeRefused(Exception):
    """A valid token whose scopes do not cover this change (answered 403, not 401)."""


def default_days() -> int:
    return settings.TONGBAN_API_TOKEN_DAYS


def max_days() -> int:
    return settings.TONGBAN_API_TOKEN_MAX_DAYS


def _hash(token: str) -> str:
    # The token is 256 random bits: a plain hash cannot be brute-forced, and needs no key.
    return hashlib.sha256(token.encode()).hexdigest()


def may_hold_tokens(user) -> bool:
    """Active staff members with an authenticator app; the same test at creation and use."""
    return bool(user.is_active and is_staff_member(user) and has_totp(user))


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_holder(user) -> None:
    if not user.is_active or not is_staff_member(user):
        raise ValidationError(
            _("API tokens are for staff integrations; this account holds no staff role."),
            code="not_staff",
        )
    if not has_totp(user):
        raise ValidationError(
            _("Set up an authenticator app before making an API token."), code="mfa_required"
        )


def _clean_scopes(scopes) -> list[str]:
    chosen = sorted({str(scope).strip() for scope in scopes or [] if str(scope).strip()})
    if not chosen:
        raise _field_error("scopes", _("Choose what the token may do."), "scope_missing")
    unknown = [scope for scope in chosen if not token_scopes.is_known(scope)]
    if unknown:
        raise _field_error(
            "scopes",
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)},
            "scope_unknown",
        )
    if token_scopes.READ in chosen and len(chosen) > 1:
        raise _field_error(
            "scopes", _("A read-only token cannot also have other scopes."), "scope_conflict"
        )
    return chosen


def _clean_days(days) -> int:
    if days is None:
        return default_days()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= max_days():
        raise _field_error(
            "days",
            _("A token lasts between 1 and %(max)s days.") % {"max": max_days()},
            "days_out_of_range",
        )
    return days


def create_api_token(
    user, name: str = "", *, scopes, days: int | None = None, actor=None, via: str = "page"
) -> tuple[ApiToken, str]:
    """A new token for ``user``: (the stored record, the token to hand over once).

    ``actor`` is who asked (the holder on the security page; None for the ``create_api_token``
    command, recorded as the system with ``via="command"``). Raises ValidationError and stores
    nothing when the holder may not hold tokens or the scopes or lifetime are wrong."""
    _check_holder(user)
    chosen = _clean_scopes(scopes)
    lifetime = _clean_days(days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            prefix=token[:10],
            token_hash=_hash(token),
            scopes=chosen,
            expires_at=timezone.now() + dt.timedelta(days=lifetime),
        )
        trail.record(
            "api_token_created",
            actor,
            "accounts.user",
            user.pk,
            token=record.pk,
            scopes=chosen,
            days=lifetime,
            via=via,
        )
    return record, token


def authenticate_api_token(token: str, *, method: str = "GET", required_scope: str = ""):
    """The staff member holding ``token``, or None when it is unknown, revoked or expired, or
    its holder may no longer hold tokens. A valid token whose scopes do not cover a change
    (``method`` not safe) on an endpoint needing ``required_scope`` raises TokenScopeRefused."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None or not may_hold_tokens(record.user):
        return None
    if not token_scopes.allows(record.scopes, method, required_scope):
        raise TokenScopeRefused(_("This token's scopes do not allow this change."))
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def api_tokens_of(user) -> list[ApiToken]:
    """The holder's tokens, newest first, revoked and expired ones included (bounded)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")[:LISTED_TOKENS])


def revoke_api_token(record: ApiToken, actor=None) -> bool:
    """Revokes ``record`` (by its holder or an administrator); False when it already was."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            trail.record(
                "api_token_revoked", actor, "accounts.user", record.user_id, token=record.pk
            )
    return bool(changed)


def revoke_own_api_token(user, token_id: int) -> bool:
    """The holder revokes one of their tokens; ApiToken.DoesNotExist for anyone else's."""
    record = ApiToken.objects.get(pk=token_id, user=user)
    return revoke_api_token(record, actor=user)
