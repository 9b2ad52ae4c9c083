"""/api/v1/cases over HTTP: session and token sign-in, the journey, and the error answers."""

import pytest
from django.test import Client

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services as accounts
from tongban.cases.constants import CaseStatus
from tongban.cases.models import Case

from .conftest import case_in, pdf_bytes

BASE = "/api/v1/cases"


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})  # the assertions read English
    sign_in_staff(client, user)  # staff sessions need the second factor; harmless for others
    return client


def bearer(user, *scopes: str) -> dict:
    """A token of ``user`` for an integration acting on cases, or with the given scopes."""
    _record, token = accounts.create_api_token(
        user, "integration", scopes=list(scopes) or ["cases"]
    )
    return {"Authorization": f"Bearer {token}"}


def test_journey_over_the_api(world):
    w = world
    me = client_for(w.applicant)
    created = me.post(BASE, {"item": w.item.implementation_code}, content_type="application/json")
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = me.post(
        f"{BASE}/{number}/attachments",
        {"file": SimpleUploadedFile("permit.pdf", pdf_bytes()), "requirement": w.required.pk},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["content_type"] == "application/pdf"
    submitted = me.post(f"{BASE}/{number}/submit", headers={"Idempotency-Key": "abc"})
    assert submitted.json()["status"] == CaseStatus.SUBMITTED
    again = me.post(f"{BASE}/{number}/submit", headers={"Idempotency-Key": "abc"})
    assert again.status_code == 200 and again.json()["number"] == number

    reviewer = bearer(w.reviewer)
    accepted = Client().post(
        f"{BASE}/{number}/accept", {}, content_type="application/json", headers=reviewer
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["statutory_due"]
    queue = Client().get(f"{BASE}/queue", headers=reviewer).json()
    assert [c["number"] for c in queue["items"]] == [number]

    detail = me.get(f"{BASE}/{number}").json()
    # A due date in a year whose holidays are not yet published adds a calendar warning.
    actions = [e["action"] for e in detail["timeline"] if e["action"] != "calendar_warning"]
    assert actions[-2:] == ["submit", "accept"]
    assert "withdraw" in detail["actions"]
    mine = me.get(f"{BASE}/mine").json()
    assert [c["number"] for c in mine["items"]] == [number]


def test_illegal_transition_answers_409_with_a_translated_message(world):
    case = case_in(world, CaseStatus.DRAFT)
    response = client_for(world.reviewer).post(
        f"{BASE}/{case.number}/approve",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "illegal_transition"
    assert "Draft" in response.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT


def test_missing_reasons_answer_422_and_change_nothing(world):
    case = case_in(world, CaseStatus.IN_REVIEW)
    response = client_for(world.reviewer).post(
        f"{BASE}/{case.number}/deny", {"reasons": "  "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"]["reasons"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_other_peoples_cases_are_not_found_and_other_departments_forbidden(world):
    case = case_in(world, CaseStatus.SUBMITTED)
    assert client_for(world.other_applicant).get(f"{BASE}/{case.number}").status_code == 404
    response = client_for(world.applicant).post(
        f"{BASE}/{case.number}/accept", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        client_for(world.reviewer_tax)
        .post(f"{BASE}/{case.number}/accept", {}, content_type="application/json")
        .status_code
        == 404
    )


def test_anonymous_and_bad_tokens_are_refused(world):
    case = case_in(world, CaseStatus.SUBMITTED)
    assert Client().get(f"{BASE}/{case.number}").status_code == 401
    bad = {"Authorization": "Bearer tb_not-a-token"}
    assert Client().get(f"{BASE}/{case.number}", headers=bad).status_code == 401


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    response = client.post(
        BASE, {"item": world.item.implementation_code}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.WITHDRAWN])
def test_final_states_refuse_uploads_with_409(world, status):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_in(world, status)
    response = client_for(world.applicant).post(
        f"{BASE}/{case.number}/attachments", {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 409
    assert not case.attachments.exists()
