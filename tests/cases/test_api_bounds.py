"""Integers beyond the database's range in the API's queries, paths and bodies answer 422 in
JSON and reach no query (they were 500s: PostgreSQL raises on them, SQLite's driver overflows).
The largest id the database holds is still an ordinary, unknown id."""

import pytest
from django.test import Client

from tongban.core.ids import DATABASE_ID_MAX

from .conftest import case_in, pdf_bytes, upload
from .test_api import client_for

HUGE = "99999999999999999999999999"
TOO_BIG = str(DATABASE_ID_MAX + 1)
PERIOD = "start=2026-01-01&end=2026-02-01"
JSON = "application/json"


def _assert_refused(answer):
    assert answer.status_code == 422, answer.content
    assert answer["Content-Type"].startswith(JSON)
    assert answer.json()["detail"]


@pytest.mark.parametrize("number", [HUGE, TOO_BIG, "-5"])
@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("supervisor", "get", "/api/v1/ratings/satisfaction?" + PERIOD + "&department={n}"),
        ("supervisor", "get", "/api/v1/ratings/bad?after={n}"),
        ("supervisor", "get", "/api/v1/ratings/follow-ups?after={n}"),
        ("supervisor", "get", "/api/v1/ratings/appeals?after={n}"),
        ("supervisor", "get", "/api/v1/delivery/late?after={n}"),
        ("supervisor", "get", "/api/v1/notifications/failed?after={n}"),
        ("applicant", "get", "/api/v1/cases/mine?after={n}"),
        ("applicant", "get", "/api/v1/notifications?after={n}"),
        ("applicant", "post", "/api/v1/notifications/{n}/read"),
        ("applicant", "post", "/api/v1/ratings/follow-ups/{n}/feedback"),
        ("reviewer", "post", "/api/v1/ratings/{n}/appeals"),
        ("supervisor", "post", "/api/v1/ratings/appeals/{n}/decision"),
        ("supervisor", "post", "/api/v1/notifications/failed/{n}/resend"),
        ("clerk_mo", "get", "/api/v1/persons/{n}"),
    ],
)
def test_out_of_range_ids_in_queries_and_paths_answer_422(world, who, method, path, number):
    client = client_for(getattr(world, who))
    url = path.format(n=number)
    answer = client.get(url) if method == "get" else client.post(url, {}, content_type=JSON)
    if path.startswith("/api/v1/persons/") and number == "-5":
        assert answer.status_code == 404  # the path's digits-only pattern does not match
        return
    _assert_refused(answer)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cases", {"item": "x", "company_id": int(HUGE)}),
        ("/api/v1/cases", {"item": "x", "applicant_person_id": DATABASE_ID_MAX + 1}),
        ("/api/v1/ratings", {"visit": int(HUGE), "level": 5}),
    ],
)
def test_out_of_range_ids_in_bodies_answer_422(world, path, body):
    _assert_refused(client_for(world.applicant).post(path, body, content_type=JSON))


def test_an_out_of_range_material_of_an_upload_answers_422_and_stores_nothing(world):
    case = case_in(world, "draft")
    answer = client_for(world.applicant).post(
        f"/api/v1/cases/{case.number}/attachments",
        {"file": upload("a.pdf", pdf_bytes()), "requirement": HUGE},
    )
    assert answer.status_code == 422 and answer.json()["code"] == "invalid"
    assert case.attachments.count() == 0


def test_the_largest_id_the_database_holds_is_just_unknown(world):
    supervisor = client_for(world.supervisor)
    largest = str(DATABASE_ID_MAX)
    satisfaction = supervisor.get(f"/api/v1/ratings/satisfaction?{PERIOD}&department={largest}")
    assert satisfaction.status_code == 200 and satisfaction.json()["total"] == 0
    assert supervisor.get(f"/api/v1/ratings/bad?after={largest}").status_code == 200
    me = client_for(world.applicant)
    assert me.get(f"/api/v1/cases/mine?after={largest}").json()["items"] == []
    missing = me.post(f"/api/v1/notifications/{largest}/read")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert Client().get(f"/api/v1/cases/mine?after={HUGE}").status_code == 401
