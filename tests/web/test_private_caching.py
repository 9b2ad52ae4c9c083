"""Pages and API answers with personal data are never stored by a browser or a proxy.

``/me/`` shows the whole identity document number; a shared computer's back button or a proxy
must not be able to show it again. Public catalog pages keep their caching.
"""

import pytest
from django.test import Client

from tests.cases.conftest import draft_for
from tongban.accounts import services as accounts

NOT_STORED = "no-store"


def signed_in(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def assert_not_stored(response, what):
    assert response.status_code < 500, (what, response.status_code)
    assert NOT_STORED in response.get("Cache-Control", ""), (what, response.get("Cache-Control"))
    assert response.get("Pragma") == "no-cache", what


def test_the_applicants_pages_are_not_stored(world):
    case = draft_for(world)
    client = signed_in(world.applicant)
    for path in [
        "/me/",
        "/me/edit/",
        "/me/cases/",
        f"/me/cases/{case.number}/",
        "/me/data/",
        "/me/inbox/",
        "/me/consent/",
        "/security/",
        "/",  # even the home page, once it greets a signed-in person
        "/services/",
    ]:
        assert_not_stored(client.get(path), path)


def test_the_staff_pages_are_not_stored(world):
    client = signed_in(world.clerk_mo)
    for path in ["/staff/counter/", "/staff/find/", "/staff/queue/"]:
        assert_not_stored(client.get(path), path)


def test_api_answers_are_not_stored_with_a_session_or_a_token(world):
    case = draft_for(world)
    session = signed_in(world.applicant)
    for path in ["/api/v1/me", "/api/v1/cases", f"/api/v1/cases/{case.number}"]:
        assert_not_stored(session.get(path), path)
    # API tokens are for staff with an authenticator app (a reviewer's integration).
    _record, token = accounts.create_api_token(world.reviewer, "integration", scopes=["read"])
    bearer = Client(headers={"Authorization": f"Bearer {token}"})
    for path in ["/api/v1/me", f"/api/v1/cases/{case.number}"]:
        assert_not_stored(bearer.get(path), f"token {path}")
    # Refusals are answered under the same rule: nobody keeps a 401 for someone else either.
    assert_not_stored(Client().get("/api/v1/me"), "anonymous /api/v1/me")


def test_sign_in_pages_are_not_stored(db):
    assert_not_stored(Client().get("/accounts/login/"), "/accounts/login/")


@pytest.mark.parametrize("path", ["/services/", "/api/v1/catalog/items", "/healthz"])
def test_public_pages_keep_their_caching_for_anonymous_readers(db, path):
    response = Client().get(path)
    assert response.status_code == 200, path
    assert NOT_STORED not in response.get("Cache-Control", "")
    assert "Pragma" not in response
