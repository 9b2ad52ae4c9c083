"""The case tests' small world (applicants, staff, items) for the web pages' tests."""

from tests.cases import conftest as case_fixtures

zones = case_fixtures.zones
departments = case_fixtures.departments
make_user = case_fixtures.make_user
make_applicant = case_fixtures.make_applicant
world = case_fixtures.world
_fast_password_hashing = case_fixtures._fast_password_hashing
_media_in_tmp = case_fixtures._media_in_tmp
