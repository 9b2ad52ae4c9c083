"""The delivery, ratings and notifications endpoints fuzzed from their OpenAPI description with a
supervisor's token: whatever arrives, no 500, and the answers match the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.cases.test_api import bearer

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/(delivery|ratings|notifications)"
)


@pytest.fixture
def supervisor_token(world):
    return bearer(world.supervisor, "cases", "notifications")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_these_endpoints_fail(case, supervisor_token):
    # Input valid by the schema can still name a case that does not exist: a 404 or 422 with a
    # reason, not a rejected valid request.
    response = case.call_and_validate(
        headers=supervisor_token, excluded_checks=[positive_data_acceptance]
    )
    assert response.status_code < 500
