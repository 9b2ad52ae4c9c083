"""Killing a worker mid-send: the applicant's e-mail still arrives, exactly once (issue 8 §6).

A real ``tongban db_worker`` process sends a notification through an e-mail backend that waits
at a gate (before or after writing the message out); the test kills it with SIGKILL there, so
its task stays RUNNING and the delivery ``sending``. After the lease, ``tongban tasks sweep``
queues the task again and a new worker runs it: it asks the backend whether the message went
out and sends it only if it did not. Runs on a SQLite file and, marked ``postgres``, on a
PostgreSQL database of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
STEPS = "tests.notifications.worker_kill_steps"
TIMEOUT = 90  # seconds any one wait may take before the test fails
POLL = 0.1
LEASE_SECONDS = "1"


def tongban(env: dict, *args: str, timeout: float = TIMEOUT) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tongban.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def step(env: dict, code: str) -> dict:
    out = tongban(env, "shell", "-c", f"from {STEPS} import *; {code}")
    return json.loads(out.strip().splitlines()[-1])


def wait_for(condition, what: str):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(POLL)
    pytest.fail(f"timed out waiting for {what}")


def base_env(tmp: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGBAN_", "DJANGO_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        DATABASE_URL=database_url,
        TONGBAN_VAR_DIR=str(tmp / "var"),
        TONGBAN_TASKS="database",
        TONGBAN_NOTIFICATION_CHANNELS="email",
        TONGBAN_EMAIL_BACKEND="tests.notifications.mail_backends.GatedFileBackend",
        TONGBAN_TEST_OUTBOX=str(tmp / "outbox"),
        TONGBAN_TEST_MAIL_GATE=str(tmp / "gate"),
        TONGBAN_TASK_LEASE_SECONDS=LEASE_SECONDS,
        TONGBAN_LOG_LEVEL="WARNING",
    )
    return env


def start_worker(env: dict, log: Path, worker_id: str, *extra: str) -> subprocess.Popen:
    """A ``tongban db_worker`` process; its output goes to ``log`` (a pipe could fill and block)."""
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "tongban.cli", "db_worker", "--queue-name", "*", "--interval",
             "0.1", "--no-startup-delay", "--no-reload", "--worker-id", worker_id, *extra],
            env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite file and its var directory (generated keys), copied for each test."""
    template = tmp_path_factory.mktemp("migrated")
    env = base_env(template, f"sqlite:///{template / 'tongban.sqlite3'}")
    tongban(env, "migrate", "--no-input", timeout=600)
    return template


def sqlite_env(migrated: Path, tmp: Path) -> dict:
    shutil.copytree(migrated / "var", tmp / "var")
    shutil.copy(migrated / "tongban.sqlite3", tmp / "tongban.sqlite3")
    return base_env(tmp, f"sqlite:///{tmp / 'tongban.sqlite3'}")


@pytest.fixture
def postgres_env(tmp_path):
    """A fresh, migrated PostgreSQL database beside the configured one, dropped afterwards."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        pytest.skip("set DATABASE_URL to a PostgreSQL server")
    parts = urlsplit(configured)
    database = f"{parts.path.lstrip('/') or 'tongban'}_worker_kill"
    name = sql.Identifier(database)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    env = base_env(tmp_path, urlunsplit(parts._replace(path=f"/{database}")))
    tongban(env, "migrate", "--no-input", timeout=600)
    yield env
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def kill_mid_send_then_recover(env: dict, tmp: Path, moment: str) -> dict:
    env = {**env, "TONGBAN_TEST_MAIL_WAIT": moment}
    gate, entered = tmp / "gate", tmp / "gate.entered"
    gate.touch()
    assert step(env, "notify_applicant()") == {"deliveries": 1}

    log = tmp / "workers.log"
    doomed = start_worker(env, log, "worker-killed")
    try:
        wait_for(
            lambda: entered.exists() or doomed.poll() is not None, "the worker to start sending"
        )
        assert doomed.poll() is None, log.read_text()[-3000:]
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=TIMEOUT)
    gate.unlink()  # later sends go straight through
    outbox = repr(str(tmp / "outbox"))
    after_kill = step(env, f"sweep_after_kill({outbox})")
    assert after_kill["killed"]["tasks"] == ["RUNNING"]
    assert after_kill["killed"]["delivery"][::2] == ["sending", "worker-killed"]
    assert after_kill["sweeps"] == [{"requeued": 1, "failed": 0}, {"requeued": 0, "failed": 0}]

    successor = start_worker(env, log, "worker-successor", "--batch")
    assert successor.wait(timeout=TIMEOUT) == 0, log.read_text()[-3000:]
    final = step(env, f"settle_and_report({outbox})")
    assert final.pop("sweep") == {"sent": 0, "requeued": 0, "failed": 0}
    return final


@pytest.mark.parametrize(
    ("moment", "attempts"),
    [("before", 2), ("after", 1)],
    ids=["killed-before-the-message-went-out", "killed-after-the-message-went-out"],
)
def test_a_worker_killed_mid_send_still_delivers_once_on_sqlite(
    migrated_sqlite, tmp_path, moment, attempts
):
    env = sqlite_env(migrated_sqlite, tmp_path)
    final = kill_mid_send_then_recover(env, tmp_path, moment)
    assert final == {
        "tasks": ["SUCCESSFUL"],
        "delivery": ["sent", attempts, ""],
        "inbox": 1,
        "outbox": 1,
    }


@pytest.mark.postgres
def test_a_worker_killed_mid_send_still_delivers_once_on_postgresql(postgres_env, tmp_path):
    final = kill_mid_send_then_recover(postgres_env, tmp_path, "before")
    assert final == {"tasks": ["SUCCESSFUL"], "delivery": ["sent", 2, ""], "inbox": 1, "outbox": 1}
