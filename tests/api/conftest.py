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
