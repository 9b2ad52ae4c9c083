"""/api/v1/notifications: my inbox over HTTP; failed messages and channels for supervisors."""

from django.test import Client

from tests.cases.test_api import bearer, client_for
from tongban.notifications.models import Delivery, Notification


def test_my_inbox_over_the_api(world):
    mine = Notification.objects.create(
        user=world.applicant, event="case_approved", title="Approved", body="Yes"
    )
    Notification.objects.create(
        user=world.other_applicant, event="case_denied", title="No", body=""
    )
    me = client_for(world.applicant)
    inbox = me.get("/api/v1/notifications").json()
    assert ([n["title"] for n in inbox["items"]], inbox["unread"]) == (["Approved"], 1)
    assert me.post(f"/api/v1/notifications/{mine.pk}/read").json()["read_at"]
    theirs = Notification.objects.get(user=world.other_applicant)
    assert me.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert me.get("/api/v1/notifications").json()["unread"] == 0
    assert Client().get("/api/v1/notifications").status_code == 401


def test_failed_messages_and_channels_for_supervisors_only(world):
    failed = Delivery.objects.create(
        user=world.applicant,
        channel="email",
        event="case_approved",
        language="en",
        subject="Approved",
        body="Yes",
        address_masked="c***@example.com",
        recipient_key=f"user:{world.applicant.pk}",
        status="failed",
        attempts=5,
        last_error="SMTP down",
    )
    supervisor, reviewer = bearer(world.supervisor, "notifications"), bearer(world.reviewer)
    listed = Client().get("/api/v1/notifications/failed", headers=supervisor).json()
    assert [(d["id"], d["to"]) for d in listed["items"]] == [(failed.pk, "c***@example.com")]
    assert Client().get("/api/v1/notifications/failed", headers=reviewer).status_code == 403
    assert Client().get("/api/v1/notifications/channels", headers=reviewer).status_code == 403
    names = [
        c["name"] for c in Client().get("/api/v1/notifications/channels", headers=supervisor).json()
    ]
    assert {"email", "sms"} <= set(names)
    resent = Client().post(f"/api/v1/notifications/failed/{failed.pk}/resend", headers=supervisor)
    assert resent.status_code == 200 and resent.json()["status"] == "queued"
    again = Client().post(f"/api/v1/notifications/failed/{failed.pk}/resend", headers=supervisor)
    assert again.status_code == 409
