"""The inbox page /me/inbox/: one's own notifications, escaped, read by a POST form, paged."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.catalog.test_pages import PageOutline, html_lang, text
from tongban.notifications.models import Notification

LANGUAGES = ["zh-hans", "zh-hant", "en", "pt"]
INBOX = "/me/inbox/"


def note(user, title="Application JM-2026-000001 approved", **fields) -> Notification:
    fields.setdefault("body", "Your application was approved.")
    return Notification.objects.create(user=user, event="case_approved", title=title, **fields)


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.applicant)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inbox_renders_in_every_language_with_a_sound_outline(signed_in, world, language):
    note(world.applicant, link="/me/cases/JM-2026-000001/")
    note(world.applicant, title="Read already", read_at=timezone.now())
    response = signed_in.get(INBOX, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and html_lang(response) == language
    outline = PageOutline.of(response)
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    assert not [(a, b) for a, b in itertools.pairwise(outline.headings) if b > a + 1]
    assert not [c for c in outline.controls if c.get("id") not in outline.label_targets]
    assert outline.landmarks == {"header", "nav", "main", "footer"}
    assert "style=" not in text(response) and "<script>" not in text(response)


def test_only_ones_own_notifications_are_shown_and_escaped(signed_in, world):
    note(world.applicant, title="<script>alert(1)</script>", body="a & b\nsecond line")
    note(world.other_applicant, title="Someone else's news")
    body = text(signed_in.get(INBOX, HTTP_ACCEPT_LANGUAGE="en"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "a &amp; b<br>second line" in body
    assert "Someone else" not in body
    assert "1 unread notification" in body


def test_marking_read_by_post(signed_in, world):
    mine = note(world.applicant, link="/me/cases/JM-2026-000001/")
    theirs = note(world.other_applicant)
    assert signed_in.get(reverse("notifications:mark_read", args=[mine.pk])).status_code == 405
    response = signed_in.post(reverse("notifications:mark_read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/me/cases/JM-2026-000001/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    response = signed_in.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(signed_in, world):
    for n in range(3):
        note(world.applicant, title=f"News {n}")
    response = signed_in.post(reverse("notifications:mark_all_read"), follow=True)
    assert "unread notification" not in text(response)
    assert not Notification.objects.filter(user=world.applicant, read_at__isnull=True).exists()


def test_the_inbox_pages_by_keyset_newest_first(signed_in, world):
    for n in range(25):
        note(world.applicant, title=f"News number {n:02d}")
    first = text(signed_in.get(INBOX, HTTP_ACCEPT_LANGUAGE="en"))
    assert "News number 24" in first and "News number 05" in first
    assert "News number 04" not in first
    cursor = Notification.objects.get(title="News number 05").pk
    assert f'href="/me/inbox/?after={cursor}"' in first
    second = text(signed_in.get(INBOX, {"after": cursor}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "News number 04" in second and "News number 00" in second
    assert "News number 05" not in second and 'href="/me/inbox/?after=' not in second
    assert signed_in.get(INBOX, {"after": "x"}).status_code == 302


def test_only_links_on_this_site_are_followed(signed_in, world):
    elsewhere = note(world.applicant, link="//evil.example/phish")
    response = signed_in.post(
        reverse("notifications:mark_read", args=[elsewhere.pk]),
        {"open": "1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == INBOX
