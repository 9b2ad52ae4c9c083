"""/api/v1/delivery and /api/v1/ratings over HTTP: the same services, the same error answers."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from .conftest import HKID, case_in
from .test_api import bearer, client_for

JSON = "application/json"


def approved(w):
    from tongban.cases.constants import CaseStatus

    return case_in(w, CaseStatus.APPROVED, decided_at=timezone.now())


def test_delivery_over_the_api(world):
    case = approved(world)
    me = client_for(world.applicant)
    chosen = me.put(
        f"/api/v1/delivery/{case.number}/preference",
        {
            "method": "post",
            "address": {
                "region": "MO",
                "recipient": "李小明",
                "phone": "6612 3456",
                "address": "澳門",
            },
        },
        content_type=JSON,
    )
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["post_phone"] == "+85366123456"
    staff = bearer(world.reviewer)
    typo = Client().post(
        f"/api/v1/delivery/{case.number}",
        {"tracking_number": "EA123456784CN"},
        content_type=JSON,
        headers=staff,
    )
    assert typo.status_code == 422 and typo.json()["code"] == "tracking_number_check"
    done = Client().post(
        f"/api/v1/delivery/{case.number}",
        {"tracking_number": "EA123456785CN"},
        content_type=JSON,
        headers=staff,
    )
    assert done.status_code == 200, done.content
    assert done.json()["delivered_at"] and done.json()["tracking_number"] == "EA123456785CN"
    again = Client().post(
        f"/api/v1/delivery/{case.number}",
        {"tracking_number": "EA123456785CN"},
        content_type=JSON,
        headers=staff,
    )
    assert again.status_code == 409
    assert me.get(f"/api/v1/delivery/{case.number}").json()["method"] == "post"
    assert (
        client_for(world.other_applicant).get(f"/api/v1/delivery/{case.number}").status_code == 404
    )
    assert Client().get("/api/v1/delivery/late", headers=staff).status_code == 403
    late = Client().get("/api/v1/delivery/late", headers=bearer(world.supervisor))
    assert late.status_code == 200 and late.json() == {"items": [], "next": None}


def test_rating_follow_up_and_appeal_over_the_api(world):
    case = approved(world)
    me = client_for(world.applicant)
    rated = me.post(
        "/api/v1/ratings",
        {"case": case.number, "level": 1, "scores": {"speed": 1}, "comment": "Too slow"},
        content_type=JSON,
    )
    assert rated.status_code == 201, rated.content
    body = rated.json()
    assert (body["grade"], body["scores"], body["follow_up"]["status"]) == (
        "bad",
        {"speed": 1},
        "open",
    )
    twice = me.post("/api/v1/ratings", {"case": case.number, "level": 5}, content_type=JSON)
    assert twice.status_code == 422 and twice.json()["code"] == "already_rated"
    follow_up = body["follow_up"]["id"]
    reviewer, supervisor = bearer(world.reviewer), bearer(world.supervisor)
    early = Client().post(
        f"/api/v1/ratings/follow-ups/{follow_up}/outcome",
        {"outcome": "fixed", "note": "Done"},
        content_type=JSON,
        headers=reviewer,
    )
    assert early.status_code == 409
    outsider = Client().post(
        f"/api/v1/ratings/follow-ups/{follow_up}/call-backs",
        {"reached": True, "note": "Hi"},
        content_type=JSON,
        headers=bearer(world.reviewer_tax),
    )
    assert outsider.status_code == 404
    called = Client().post(
        f"/api/v1/ratings/follow-ups/{follow_up}/call-backs",
        {"reached": True, "note": "Apologised"},
        content_type=JSON,
        headers=reviewer,
    )
    assert called.status_code == 201 and called.json()["status"] == "called_back"
    resolved = Client().post(
        f"/api/v1/ratings/follow-ups/{follow_up}/outcome",
        {
            "outcome": "ledger",
            "note": "More staff",
            "ledger_reason": "Hiring takes time",
            "ledger_due": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        },
        content_type=JSON,
        headers=reviewer,
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    closed = me.post(
        f"/api/v1/ratings/follow-ups/{follow_up}/feedback",
        {"feedback": "not_satisfied", "note": "Still slow"},
        content_type=JSON,
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"

    appeal = Client().post(
        f"/api/v1/ratings/{body['id']}/appeals",
        {"reason": "Wrong office"},
        content_type=JSON,
        headers=reviewer,
    )
    assert appeal.status_code == 201, appeal.content
    appeal_id = appeal.json()["id"]
    refused = Client().post(
        f"/api/v1/ratings/appeals/{appeal_id}/decision",
        {"remove": True, "note": "Mine"},
        content_type=JSON,
        headers=reviewer,
    )
    assert refused.status_code == 403
    pending = Client().get("/api/v1/ratings/appeals", headers=supervisor).json()
    assert [a["id"] for a in pending] == [appeal_id]
    decided = Client().post(
        f"/api/v1/ratings/appeals/{appeal_id}/decision",
        {"remove": True, "note": "Checked"},
        content_type=JSON,
        headers=supervisor,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "removed"
    today = timezone.localdate().isoformat()
    stats = Client().get(
        "/api/v1/ratings/satisfaction",
        {"start": today, "end": today, "department": world.housing.pk},
        headers=reviewer,
    )
    assert stats.status_code == 200 and stats.json()["total"] == 0
    assert me.get(f"/api/v1/ratings/cases/{case.number}").json()["status"] == "removed"


def test_counter_visit_over_the_api(world):
    clerk = bearer(world.clerk_mo)
    visit = Client().post(
        "/api/v1/ratings/visits",
        {"document_kind": "hkid", "document_number": HKID, "note": "Asked about fees"},
        content_type=JSON,
        headers=clerk,
    )
    assert visit.status_code == 201, visit.content
    unknown = Client().post(
        "/api/v1/ratings/visits",
        {"document_kind": "hkid", "document_number": "C123456(9)"},
        content_type=JSON,
        headers=clerk,
    )
    assert unknown.status_code == 422
    rated = client_for(world.applicant).post(
        "/api/v1/ratings", {"visit": visit.json()["id"], "level": 4}, content_type=JSON
    )
    assert rated.status_code == 201 and rated.json()["follow_up"] is None
