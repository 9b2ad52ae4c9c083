"""A text field stored encrypted (core.crypto); readable in Python, opaque in the database."""

from django.db import models

from tongban.core import crypto


class EncryptedTextField(models.TextField):
    """Encrypted at rest with the current field key. Cannot be filtered on: pair it with a
    keyed-hash column for lookups. ``tongban rotate_field_keys`` re-encrypts every such field."""

    def get_internal_type(self) -> str:
        return "TextField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name):
        # Ciphertexts differ each time, so equality and pattern lookups would silently fail.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)
