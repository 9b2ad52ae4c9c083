"""Wrong passwords slow the guesser down without locking the owner out.

Per account *and* client (its address; its /64 for IPv6): the first
``TONGBAN_SIGNIN_FREE_ATTEMPTS - 1`` tries go straight through; from then on each try must
wait longer after the one before (2 s, 4 s, 8 s … up to ``TONGBAN_SIGNIN_MAX_DELAY_SECONDS``).
A stranger elsewhere only slows down themselves: the owner signing in from their own device
starts from zero, and a successful sign-in clears that client's count. Each client address
also has a budget of tries per minute across all accounts.

Every try takes its number from one atomic counter (``core.ratelimit``) before the password is
checked, and a delayed try must claim the single "turn" that the previous one left; so tries
sent together cannot all slip past the count.

After ``TONGBAN_SIGNIN_ALERT_AFTER`` failures on one account from anywhere within
``TONGBAN_SIGNIN_ALERT_HOURS``, its owner is told by e-mail, at most once per period.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from tongban.accounts.signin import phones
from tongban.core import crypto, ratelimit
from tongban.core.clientaddress import client_network

from .tasks import tell_owner_about_failed_sign_ins

TRIES_PERIOD_SECONDS = 24 * 60 * 60


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def login_of(credentials: dict) -> str:
    """The account the credentials name, as one comparable text (e-mail lower-cased, phone in
    E.164 when it parses)."""
    if credentials.get("email"):
        return "email:" + str(credentials["email"]).strip().lower()
    if credentials.get("phone"):
        raw = str(credentials["phone"])
        try:
            return "phone:" + phones.normalise_sign_in_phone(raw)
        except ValidationError:
            return "phone:" + raw.strip()
    return "username:" + str(credentials.get("username") or "").strip().lower()


def _account_key(credentials: dict) -> str:
    # A keyed hash: the counters' keys never hold an e-mail address or phone number.
    return crypto.lookup_hash(login_of(credentials), purpose="signin")


def _keys(request, credentials: dict) -> tuple[str, str, str]:
    account, client = _account_key(credentials), client_network(request)
    return (
        f"signin-tries:{account}:{client}",
        f"signin-turn:{account}:{client}",
        f"signin-address:{client}",
    )


def delay_before_next(tries: int) -> int:
    """Seconds the try after try number ``tries`` must wait (0 while tries are free)."""
    free = _setting("TONGBAN_SIGNIN_FREE_ATTEMPTS", 5)
    if tries < free:
        return 0
    return min(2 ** (tries - free + 1), _setting("TONGBAN_SIGNIN_MAX_DELAY_SECONDS", 900))


def _refuse(seconds: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "Too many wrong passwords from here. Wait %(seconds)d second before trying again.",
            "Too many wrong passwords from here. Wait %(seconds)d seconds before trying again.",
            seconds,
        )
        % {"seconds": seconds},
        code="too_many_login_attempts",
    )


def before_password_check(request, credentials: dict) -> None:
    """Take this try's number, or raise ``ValidationError`` saying how long to wait."""
    tries_key, turn_key, address_key = _keys(request, credentials)
    per_minute = _setting("TONGBAN_SIGNIN_ATTEMPTS_PER_MINUTE", 10)
    address = ratelimit.hit(address_key, 60)
    if address.count > per_minute:
        ratelimit.give_back(address_key)
        raise _refuse(address.expires_in)
    tries = ratelimit.hit(tries_key, TRIES_PERIOD_SECONDS).count
    delay = delay_before_next(tries)
    if not delay:
        return
    turn = ratelimit.hit(turn_key, delay)
    if turn.count != 1:
        # An earlier try holds the turn: this one is not made, so it does not count.
        ratelimit.give_back(tries_key)
        ratelimit.give_back(address_key)
        raise _refuse(turn.expires_in)


def forget_tries(request, credentials: dict) -> None:
    """This client's tries on this account start from zero (after a success or a reset)."""
    tries_key, turn_key, _address_key = _keys(request, credentials)
    ratelimit.clear(tries_key)
    ratelimit.clear(turn_key)


def after_success(request, credentials: dict) -> None:
    forget_tries(request, credentials)
    ratelimit.give_back(_keys(request, credentials)[2])  # the address budget is for failures


def after_failure(request, credentials: dict) -> None:
    """Count the failure against the account; tell its owner once per period past the mark."""
    hours = _setting("TONGBAN_SIGNIN_ALERT_HOURS", 24)
    failures = ratelimit.hit(f"signin-failures:{_account_key(credentials)}", hours * 3600)
    if failures.count != _setting("TONGBAN_SIGNIN_ALERT_AFTER", 5):
        return
    owner = _owner(credentials)
    # Queued whether or not the account exists, so the reply takes the same time either way.
    tell_owner_about_failed_sign_ins.enqueue(owner.pk if owner else None, failures.count, hours)


def _owner(credentials: dict):
    users = get_user_model()._default_manager
    login = login_of(credentials)
    kind, _, value = login.partition(":")
    if kind == "email" and value:
        return users.filter(email__iexact=value, is_active=True).first()
    if kind == "phone" and value:
        return phones.user_by_phone(value)
    return None
