"""The case world of tests/cases: applicants, staff, items and zones for the API's callers."""

from tests.cases.conftest import (  # noqa: F401  (fixtures)
    _fast_password_hashing,
    _media_in_tmp,
    departments,
    make_applicant,
    make_user,
    world,
    zones,
)
from tongban.accounts import token_scopes

# A staff integration allowed every change (a read-only token may hold no other scope).
EVERY_SCOPE = [s.name for s in token_scopes.all_scopes() if s.name != token_scopes.READ]
