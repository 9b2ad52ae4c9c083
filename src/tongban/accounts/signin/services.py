"""Sign-in's public face: the security overview, signing out everywhere, provider links."""

from dataclasses import dataclass, field
from datetime import datetime

import structlog
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession

from tongban.accounts.signin import phones
from tongban.accounts.signin.mfa_policy import has_totp, is_staff_for_mfa, must_enrol_totp
from tongban.accounts.signin.sms import mask_phone

log = structlog.get_logger("tongban.signin")

__all__ = [
    "SecurityOverview",
    "has_totp",
    "is_staff_for_mfa",
    "linked_providers",
    "must_enrol_totp",
    "security_overview",
    "sign_out_everywhere",
    "user_for_provider_account",
]


@dataclass(frozen=True)
class ProviderLink:
    provider_id: str
    provider_name: str
    linked_at: datetime


@dataclass(frozen=True)
class SecurityOverview:
    emails: list[tuple[str, bool]]
    phone: str | None  # masked
    phone_verified: bool
    totp_enabled: bool
    totp_required: bool
    passkeys: list[tuple[str, datetime]]
    recovery_codes_left: int | None
    session_count: int
    providers: list[ProviderLink] = field(default_factory=list)


def linked_providers(user) -> list[ProviderLink]:
    """The identity providers (iAM Smart and the like) whose pairwise account id is linked."""
    links = []
    for account in SocialAccount.objects.filter(user=user).order_by("date_joined"):
        provider = account.get_provider()
        links.append(ProviderLink(account.provider, provider.name, account.date_joined))
    return links


def user_for_provider_account(provider_id: str, subject: str):
    """The user linked to a provider's pairwise subject identifier (``sub``), or None."""
    account = (
        SocialAccount.objects.filter(provider=provider_id, uid=subject)
        .select_related("user")
        .first()
    )
    return account.user if account else None


def _recovery_codes_left(user) -> int | None:
    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if authenticator is None:
        return None
    return len(authenticator.wrap().get_unused_codes())


def security_overview(user) -> SecurityOverview:
    phone = phones.get_phone(user)
    authenticators = Authenticator.objects.filter(user=user)
    return SecurityOverview(
        emails=[(a.email, a.verified) for a in EmailAddress.objects.filter(user=user)],
        phone=mask_phone(phone[0]) if phone else None,
        phone_verified=bool(phone and phone[1]),
        totp_enabled=authenticators.filter(type=Authenticator.Type.TOTP).exists(),
        totp_required=is_staff_for_mfa(user),
        passkeys=[
            (a.wrap().name, a.created_at)
            for a in authenticators.filter(type=Authenticator.Type.WEBAUTHN).order_by("pk")
        ],
        recovery_codes_left=_recovery_codes_left(user),
        session_count=len(UserSession.objects.purge_and_list(user)),
        providers=linked_providers(user),
    )


def sign_out_everywhere(request) -> int:
    """Ends every session of the signed-in user, this one included. Returns how many."""
    user = request.user
    sessions = UserSession.objects.purge_and_list(user)
    end_sessions(request, sessions)
    log.info("user_signed_out_everywhere", user=user.pk, sessions=len(sessions))
    return len(sessions)
