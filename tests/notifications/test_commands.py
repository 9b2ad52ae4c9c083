"""``tongban notifications sweep|check`` and ``tongban ratings remind``."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.cases.conftest import case_in
from tongban.cases.constants import CaseStatus
from tongban.notifications import channels
from tongban.notifications import services as notifications
from tongban.notifications.channels import ChannelHealth
from tongban.notifications.models import Delivery


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sweep_settles_an_interrupted_send(world, queued):
    notifications.notify("case_approved", case_in(world, CaseStatus.APPROVED), [world.person])
    Delivery.objects.update(status="sending", sending_since=timezone.now() - dt.timedelta(hours=2))
    assert json.loads(run("notifications", "sweep", "--json")) == {
        "sent": 0,
        "requeued": 0,
        "failed": 1,
    }


def test_check_fails_when_a_channel_fails(db, monkeypatch):
    assert "email" in run("notifications", "check")
    monkeypatch.setattr(
        channels.LoggingSmsChannel,
        "check",
        lambda self: ChannelHealth("sms", False, "gateway down"),
    )
    with pytest.raises(CommandError):
        run("notifications", "check")


def test_ratings_remind_runs(db):
    assert run("ratings", "remind").strip()
