"""``tongban demo``'s cases: every state, online and at each zone, with attachments, overdue."""

import pytest
from django.core.management import call_command
from django.utils import translation

from tongban.cases.constants import CaseStatus, Channel, DeadlineFlag
from tongban.cases.models import Attachment, Case


@pytest.mark.django_db
def test_demo_creates_cases_in_every_state(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        call_command("demo", password="a demo password")
    printed = capsys.readouterr().out
    assert "Cases: 24 in 12 states" in printed
    assert "Ratings:" in printed and "Counter visits waiting for a rating: 4" in printed
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    counter_zones = set(
        Case.objects.filter(channel=Channel.COUNTER).values_list("received_at_zone", flat=True)
    )
    assert len(counter_zones) >= 3
    assert Case.objects.filter(channel=Channel.ONLINE).exists()
    assert Case.objects.filter(deadline_flag=DeadlineFlag.OVERDUE).count() >= 2
    assert Attachment.objects.filter(content_type="application/pdf").exists()
    assert Attachment.objects.filter(content_type="image/png").exists()
    supplemented = Case.objects.filter(supplement_requests__answered_at__isnull=False)
    assert supplemented.filter(status=CaseStatus.APPROVED).exists()


@pytest.mark.django_db
def test_demo_dates_never_contradict_each_other(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        call_command("demo", password="a demo password")
    for case in Case.objects.exclude(status=CaseStatus.DRAFT):
        moments = [case.created_at, case.submitted_at, case.accepted_at, case.decided_at]
        known = [moment for moment in moments if moment is not None]
        assert known == sorted(known), case.number
        if case.accepted_at and case.promised_due:
            assert case.accepted_at.date() <= case.promised_due <= case.statutory_due, case.number
        events = list(case.events.order_by("id").values_list("at", flat=True))
        assert events == sorted(events), case.number
        assert case.submitted_at >= events[0] or case.submitted_at.date() == events[0].date()
        if case.clock.overdue:
            assert case.status in (CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW), case.number
