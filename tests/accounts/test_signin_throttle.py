"""Wrong passwords: growing delays per account and client, never a lockout of the owner, and
the owner told once per period.

Before: five wrong passwords from anyone locked the account for everyone for five minutes,
the owner with the right password included.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.accounts.conftest import PASSWORD
from tests.ratelimit_helpers import BACKENDS, run_together, use_backend
from tongban.core import crypto, ratelimit

EN = {"accept-language": "en"}
STRANGER = "203.0.113.66"
OWNER_HOME = "198.51.100.20"


@pytest.fixture
def clock(monkeypatch, settings):
    """The limiter's clock, moved by hand: clock.now += seconds."""
    use_backend("database", settings)
    state = type("Clock", (), {})()
    state.now = 2_000_000_000.0
    monkeypatch.setattr(ratelimit, "time", type("Time", (), {"time": lambda: state.now}))
    return state


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def sign_in(client, login, password=PASSWORD, address=STRANGER, **headers):
    return client.post(
        "/accounts/login/",
        {"login": login, "password": password},
        headers={**EN, **headers},
        REMOTE_ADDR=address,
    )


def failures_checked(login: str) -> int:
    """How many wrong passwords for ``login`` were actually checked."""
    account = crypto.lookup_hash(f"email:{login}", purpose="signin")
    return ratelimit.peek(f"signin-failures:{account}")


@pytest.mark.django_db
def test_a_stranger_is_slowed_down_but_the_owner_still_signs_in(client, make_user, clock):
    owner = make_user("chan@example.com")
    for attempt in range(5):
        assert "Wait" not in sign_in(client, "chan@example.com", f"guess {attempt}").content.decode()

    refused = sign_in(client, "chan@example.com", "guess 6").content.decode()
    assert "Too many wrong passwords from here. Wait 2 seconds before trying again." in refused
    assert failures_checked("chan@example.com") == 5  # the refused try checked nothing

    # The owner, elsewhere, with the right password: signed in at once.
    at_home = Client()
    assert sign_in(at_home, "chan@example.com", address=OWNER_HOME).status_code == 302
    assert signed_in_user(at_home) == owner
    # Even from the stranger's address the right password works once the short wait is over.
    clock.now += 2
    sign_in(client, "chan@example.com")
    assert signed_in_user(client) == owner


@pytest.mark.django_db
def test_each_wrong_password_past_the_free_ones_waits_longer(client, make_user, clock):
    make_user("chan@example.com")
    for attempt in range(5):
        sign_in(client, "chan@example.com", f"guess {attempt}")
    waits = []
    for attempt in range(4):
        page = sign_in(client, "chan@example.com", f"more {attempt}").content.decode()
        wait = int(page.split("Wait ", 1)[1].split(" second", 1)[0])
        waits.append(wait)
        clock.now += wait
        assert "Wait" not in sign_in(client, "chan@example.com", f"late {attempt}").content.decode()
    assert waits == [2, 4, 8, 16]


@pytest.mark.django_db
def test_the_wait_is_capped_and_translated(client, make_user, clock, settings):
    settings.TONGBAN_SIGNIN_MAX_DELAY_SECONDS = 5
    make_user("chan@example.com")
    for attempt in range(8):
        clock.now += 60  # each try after the previous one's wait: all are checked
        sign_in(client, "chan@example.com", f"guess {attempt}")
    assert failures_checked("chan@example.com") == 8
    page = sign_in(client, "chan@example.com", "again", **{"accept-language": "zh-hant"})
    with translation.override("zh-hant"):
        expected = translation.ngettext(
            "Too many wrong passwords from here. Wait %(seconds)d second before trying again.",
            "Too many wrong passwords from here. Wait %(seconds)d seconds before trying again.",
            5,
        ) % {"seconds": 5}
    assert expected in page.content.decode()  # in the reader's language (ratelimits.json)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_passwords_sent_together_are_checked_only_as_often_as_allowed(
    make_user, clock, settings, backend
):
    if connection.vendor == "sqlite":
        # These views write sessions (and the database cache) whichever limiter counts: the
        # shared in-memory SQLite test database refuses concurrent writers. PostgreSQL runs it.
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    clean_up = use_backend(backend, settings)
    make_user("chan@example.com")
    answers, errors = run_together(
        lambda index: sign_in(Client(), "chan@example.com", f"guess {index}").status_code, 20
    )
    assert errors == []
    assert len(answers) == 20
    assert failures_checked("chan@example.com") == 5
    clean_up()


@pytest.mark.django_db
def test_the_owner_is_told_once_per_period_and_nobody_for_an_unknown_login(
    client, make_user, clock
):
    owner = make_user("chan@example.com")
    owner.preferred_language = "en"  # the message is in the owner's language; read it in English
    owner.save(update_fields=["preferred_language"])
    for attempt in range(12):
        sign_in(client, "chan@example.com", f"guess {attempt}", address=f"203.0.113.{attempt}")
    for attempt in range(6):
        sign_in(client, "nobody@example.com", f"guess {attempt}", address=f"203.0.113.{attempt}")

    assert len(mail.outbox) == 1
    told = mail.outbox[0]
    assert told.to == ["chan@example.com"]
    assert "wrong password" in told.body and "5 times" in told.body
    assert "not locked" in told.body
    assert "guess" not in told.body  # what was typed is never repeated

    # The next period may tell again.
    clock.now += 24 * 3600 + 1
    for attempt in range(5):
        sign_in(client, "chan@example.com", f"guess {attempt}", address=f"192.0.2.{attempt}")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_per_address_budget_counts_failures_across_accounts(client, make_user, clock):
    make_user("chan@example.com")
    for index in range(10):
        sign_in(client, f"user{index}@example.com", "wrong")
    page = sign_in(client, "user10@example.com", "wrong").content.decode()
    assert "Too many wrong passwords from here." in page
    # Another address is not affected.
    other = Client()
    sign_in(other, "chan@example.com", address=OWNER_HOME)
    assert signed_in_user(other) is not None
