"""The whole API fuzzed from its OpenAPI document with every schemathesis check, as an anonymous
caller, a signed-in applicant (session with CSRF) and a supervisor with an API token: no
undocumented status, every answer (errors included) matches its declared schema.

A request valid by the document may still be refused by the domain (no such zone, an impossible
verification code, a damaged page link): a documented 400 or 422 with a reason. Refusing it for
its *shape* would be a broken contract, which ``shape_of_valid_input_is_accepted`` catches.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.api.conftest import EVERY_SCOPE
from tests.cases.test_api import bearer
from tongban.core.api_errors import MALFORMED_BODY, SCHEMA_INVALID

# The same settings as `st run` from the project's root.
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@schemathesis.check
def shape_of_valid_input_is_accepted(ctx, response, case):
    """Input valid by the document is never refused as malformed: it reaches the domain."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code in (400, 422):
        code = response.json().get("code")
        assert code not in (SCHEMA_INVALID, MALFORMED_BODY), (
            f"Valid input refused for its shape: {response.text}"
        )
    return None


@pytest.fixture(params=["anonymous", "applicant", "staff_token"])
def caller(request, world) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    if request.param == "staff_token":
        return bearer(world.supervisor, *EVERY_SCOPE)
    client = Client()
    client.force_login(world.applicant)
    csrf = secrets.token_hex(16)  # a CSRF secret the session's pages would have set
    return {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, caller):
    cache.clear()  # rate limits would otherwise answer later examples with 429 only
    case.call_and_validate(headers=caller)
