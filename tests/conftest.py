import os
import shutil

import pytest

# hardening: the whole run fails if any log record holds a secret (tests/log_secrets.py).
pytest_plugins = ["tests.log_secrets"]

CHROMIUM = os.environ.get("TONGBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop; Django must allow its ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian's chromium for the browser tests"
        )
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def client():
    # The test client reads pages as an English reader unless a test sends another
    # Accept-Language; Tongban's own default (no header at all) is simplified Chinese.
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # Requests made straight to the WSGI application (schemathesis' fuzzing) end with
    # close_old_connections, which on PostgreSQL closes the connection holding the test's
    # transaction. Django's own test client disconnects it the same way.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Code under test that runs outside a request (services, commands through call_command)
    # speaks English unless a test says otherwise; pages follow each request's language.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data_after_flushes(request):
    # A transactional test (the browser ones) ends with a flush, which also empties the
    # topics and zones the migrations ship; the next such test puts them back.
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        import importlib

        from django.apps import apps

        request.getfixturevalue("transactional_db")
        shipped = importlib.import_module("tongban.catalog.migrations.0002_topics_and_zones")
        shipped.seed(apps, None)
    yield


@pytest.fixture(autouse=True)
def _fresh_search_index():
    # Each test's database starts empty; a process-wide index from another test would lie.
    from tongban.catalog import search

    search.reset()
    yield
    search.reset()
