"""Every API error answers in one shape, ``{"code", "detail", "errors"}``, whatever raised it, and
the OpenAPI document declares that shape (and unique schema names) for every operation."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from pydantic import BaseModel

from tests.api.conftest import EVERY_SCOPE
from tests.cases.test_api import bearer
from tongban.accounts.identifiers import IdentifierProblem
from tongban.api import api

EN = {"Accept-Language": "en"}


def assert_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert body["code"] == code and body["detail"]
    return body


def test_schema_validation_answers_422_naming_the_field(world):
    client = Client()
    client.force_login(world.applicant)
    body = assert_api_error(
        client.get("/api/v1/cases/mine", {"limit": "many"}, headers=EN), 422, "invalid_input"
    )
    assert body["detail"] == "Some of the input is not valid: limit."
    assert body["errors"]["limit"]


def test_a_missing_body_names_it(world):
    response = Client().post(
        "/api/v1/cases/X/refuse",
        content_type="application/json",
        headers={**EN, **bearer(world.reviewer)},
    )
    assert assert_api_error(response, 422, "invalid_input")["errors"]


def test_without_credentials_401_in_the_language_of_the_request(db):
    body = assert_api_error(Client().get("/api/v1/me", headers=EN), 401, "not_authenticated")
    assert body["detail"] == "Sign in, or send a valid API token."


@pytest.mark.parametrize("body", ["{not json", "[null, null]", "5", "null"])
def test_a_body_that_is_not_a_json_object_is_a_400(world, body):
    # ninja read "[null, null]" as {} and ran the action with its defaults (a case approved).
    response = Client().post(
        "/api/v1/cases/X/approve",
        data=body,
        content_type="application/json",
        headers={**EN, **bearer(world.reviewer)},
    )
    assert assert_api_error(response, 400, "malformed_body")["detail"] == (
        "The request body is not a JSON object."
    )


def test_a_damaged_upload_form_is_a_400(world):
    # A multipart body without its boundary made Django's parser raise: a 500 before.
    response = Client().post(
        "/api/v1/cases/X/attachments",
        data=b"--nothing",
        content_type="multipart/form-data",
        headers={**EN, **bearer(world.clerk_mo)},
    )
    assert assert_api_error(response, 400, "malformed_body")["detail"] == (
        "The uploaded form is damaged; send it again."
    )


def test_text_with_a_nul_character_is_a_400(world):
    # PostgreSQL cannot hold a NUL: the catalog search with one in a parameter was a 500 there.
    staff = {**EN, **bearer(world.clerk_mo)}
    answers = [
        Client().get("/api/v1/catalog/search", {"q": "x", "department": "a\x00b"}, headers=EN),
        Client().get("/api/v1/cases/JM%00", headers=staff),
        Client().post(
            "/api/v1/cases", {"item": "a\x00"}, content_type="application/json", headers=staff
        ),
    ]
    for response in answers:
        assert assert_api_error(response, 400, "nul_character")["detail"] == (
            "Text may not contain NUL characters."
        )


def test_a_request_over_the_size_limit_is_a_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        "/api/v1/cases",
        data=json.dumps({"item": "x", "form_data": {"note": "x" * 2000}}),
        content_type="application/json",
        headers={**EN, **bearer(world.clerk_mo)},
    )
    assert_api_error(response, 413, "too_large")


def test_an_address_no_operation_has_is_a_json_404(db):
    for path in ("/api/v1/persons/not-a-number", "/api/v1/nothing/here"):
        assert_api_error(Client().get(path, headers=EN), 404, "not_found")
    assert_api_error(Client().post("/api/v2/anything", headers=EN), 404, "not_found")


def test_a_date_is_written_as_a_date_not_a_number(world):
    response = Client().get(
        "/api/v1/cases/queue", {"due_before": "0"}, headers={**EN, **bearer(world.supervisor)}
    )
    assert assert_api_error(response, 422, "invalid_input")["errors"]["due_before"]


def test_domain_errors_keep_their_status_and_code(world):
    staff = {**EN, **bearer(world.supervisor, *EVERY_SCOPE)}
    missing = Client().get("/api/v1/cases/JM-1999-000001", headers=staff)
    assert assert_api_error(missing, 404, "not_found")["detail"] == "There is no such case."
    follow_up = Client().post(
        "/api/v1/ratings/follow-ups/999999/outcome",
        {"outcome": "fixed", "note": "called"},
        content_type="application/json",
        headers=staff,
    )
    assert assert_api_error(follow_up, 404, "not_found")["detail"] == (
        "There is no such item for you."
    )
    message = Client().post("/api/v1/notifications/failed/999999/resend", headers=staff)
    assert assert_api_error(message, 404, "not_found")["detail"] == "There is no such message."


# --- The OpenAPI document ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document() -> dict:
    return api.get_openapi_schema(path_prefix="/api/")


def test_every_error_answer_is_documented_with_the_one_shape(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
            assert 422 in errors or not operation["parameters"], (method, path)
            if operation.get("security"):
                assert {401, 403} <= set(errors), (method, path)
            for answer in errors.values():
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ApiError"}, (method, path)


def _models(annotation, seen: dict[str, set]) -> None:
    """Collect the pydantic models and enums an annotation uses, by the name OpenAPI gives them."""
    for arg in getattr(annotation, "__args__", ()) or ():
        _models(arg, seen)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen.setdefault(annotation.__name__, set()):
            return
        seen[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
    elif isinstance(annotation, type) and hasattr(annotation, "__members__"):
        seen.setdefault(annotation.__name__, set()).add(annotation)


def test_no_two_schemas_share_a_name():
    # OpenAPI keeps one schema per name: a second class of the same name silently replaced the
    # first (notifications' and cases' DeliveryOut; documents' and identifiers' Problem).
    seen: dict[str, set] = {}
    for router in api._get_bound_routers():  # ninja has no public list of bound operations
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        for field in model.model_fields.values():
                            _models(field.annotation, seen)
    shared = {name: classes for name, classes in seen.items() if len(classes) > 1}
    assert not shared


def test_the_identifier_check_problem_lists_every_problem(document):
    schemas = document["components"]["schemas"]
    problem = schemas["IdentifierCheckOut"]["properties"]["problem"]["anyOf"][0]["$ref"]
    assert set(schemas[problem.rsplit("/", 1)[1]]["enum"]) == set(IdentifierProblem)
