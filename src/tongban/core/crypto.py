"""Field-level encryption with key rotation, and a keyed hash for looking encrypted values up.

Keys come from settings: ``TONGBAN_FIELD_KEYS`` (Fernet keys; the first encrypts, every one
decrypts, so a new key can be put in front and old rows re-encrypted at leisure) and
``TONGBAN_LOOKUP_KEY`` (HMAC-SHA256). Generic: this module knows no app.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@cache
def _fernet() -> MultiFernet:
    keys = [key for key in settings.TONGBAN_FIELD_KEYS if key]
    if not keys:
        raise ImproperlyConfigured("TONGBAN_FIELD_KEYS holds no key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "TONGBAN_FIELD_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


@cache
def _lookup_key() -> bytes:
    key = settings.TONGBAN_LOOKUP_KEY
    if not key:
        raise ImproperlyConfigured("TONGBAN_LOOKUP_KEY is empty.")
    return key.encode()


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs) -> None:
    if setting in {"TONGBAN_FIELD_KEYS", "TONGBAN_LOOKUP_KEY"}:
        _fernet.cache_clear()
        _lookup_key.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptionError("The value cannot be decrypted with the configured keys.") from error


def rotate(token: str) -> str:
    """Re-encrypts a token with the first (current) key."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptionError("The value cannot be decrypted with the configured keys.") from error


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of ``purpose`` and ``value``: equal inputs meet, the value cannot be read back.

    ``purpose`` separates domains (e.g. the document kind), so the same digits under two kinds
    do not collide.
    """
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(_lookup_key(), message, hashlib.sha256).hexdigest()


def new_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")
