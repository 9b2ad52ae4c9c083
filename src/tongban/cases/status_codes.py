"""The status code printed on a case's receipt (收件凭证): with the case number it opens the
public status page for people without an account, and lets them claim the case later.

Eight characters from an alphabet without look-alikes (32⁸ ≈ 10¹²), stored encrypted so the
receipt can be printed again; compared in constant time. Guessing is rate-limited per client
and per case by the status page.
"""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.urls import reverse

from tongban.core import crypto

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_status_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()[: LENGTH * 2]


def give_status_code(case) -> None:
    """Gives a submitted case its code once; a case keeps it for life."""
    if not case.status_code_encrypted:
        case.status_code_encrypted = crypto.encrypt(new_status_code())


def status_code_of(case) -> str:
    """The code, formatted for reading aloud at a counter (``ABCD-EFGH``); "" if none."""
    if not case.status_code_encrypted:
        return ""
    code = crypto.decrypt(case.status_code_encrypted)
    return f"{code[:4]}-{code[4:]}"


def code_matches(case, code: str) -> bool:
    if not case.status_code_encrypted:
        return False
    expected = crypto.decrypt(case.status_code_encrypted)
    return hmac.compare_digest(expected.encode(), normalised(code).encode())


def status_page_url() -> str:
    """The public status page's address as printed (absolute when the site's URL is set)."""
    base = getattr(settings, "TONGBAN_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('cases:public_status')}"
