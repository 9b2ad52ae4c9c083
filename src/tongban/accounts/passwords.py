"""Password rules beyond Django's: refuse passwords found in a breach corpus, offline.

The list ships with the platform (``data/breached-passwords.txt.gz``, see ``data/README.md``)
and is read once per process, when Django first builds its validators.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_PASSWORDS = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"


class BreachedPasswordValidator(CommonPasswordValidator):
    """Refuses a password that appears (ignoring case) in the shipped list of breached ones."""

    DEFAULT_PASSWORD_LIST_PATH = BREACHED_PASSWORDS

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(
                _(
                    "This password appears in lists of passwords leaked from other sites, "
                    "which attackers try first. Choose another."
                ),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Your password can't be one found in leaks of other sites' passwords.")
