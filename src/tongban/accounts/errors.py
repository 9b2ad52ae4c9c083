"""Errors the accounts services raise: Django ValidationErrors with a field and a code."""

from django.core.exceptions import ValidationError


class DuplicateDocument(ValidationError):
    """The document (or company number) is already registered."""


def invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})
