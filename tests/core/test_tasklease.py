"""Task leases: a task left RUNNING by a worker that stopped beating is queued again, once.

django-tasks-db marks a claimed task RUNNING and nothing else; without the sweep a worker killed
mid-task leaves it RUNNING for ever (issue 8 §6).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tongban.core import periodic, tasklease
from tongban.core.models import AuditEvent, TaskWorker

LEASE = 60
TASK_PATH = "tongban.core.tasks.sign_audit_head"


@pytest.fixture(autouse=True)
def _short_lease(settings):
    settings.TONGBAN_TASK_LEASE_SECONDS = LEASE
    settings.TONGBAN_TASK_MAX_RUNS = 3


def ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def task_row(*, status=TaskResultStatus.RUNNING, started=LEASE * 2, workers=("w-1",)):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=TASK_PATH,
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(workers),
        started_at=ago(started),
        finished_at=None if status == TaskResultStatus.RUNNING else ago(1),
    )


def heartbeat(worker_id: str, seconds_ago: float) -> None:
    TaskWorker.objects.create(worker_id=worker_id, beat_at=ago(seconds_ago))


def status_of(row) -> str:
    row.refresh_from_db()
    return row.status


def test_a_task_whose_worker_stopped_beating_is_queued_again_once(db):
    heartbeat("w-1", LEASE * 2)
    row = task_row()
    assert tasklease.sweep() == {"requeued": 1, "failed": 0}
    row.refresh_from_db()
    assert (row.status, row.started_at, row.worker_ids) == (TaskResultStatus.READY, None, ["w-1"])
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()  # a worker will claim it
    assert tasklease.sweep() == {"requeued": 0, "failed": 0}
    event = AuditEvent.objects.get(event="task_requeued")
    assert (event.object_id, event.payload) == (
        str(row.pk),
        {"task": TASK_PATH, "worker": "w-1", "runs": 1},
    )


def test_a_task_of_a_worker_that_never_beat_is_queued_again_after_the_lease(db):
    row = task_row(workers=("plain-db-worker",))
    assert tasklease.sweep()["requeued"] == 1
    assert status_of(row) == TaskResultStatus.READY


def test_a_live_lease_is_left_alone(db):
    heartbeat("w-1", 1)
    long_running = task_row(started=LEASE * 10)
    just_claimed = task_row(started=1, workers=("w-2",))  # no heartbeat yet, lease not over
    assert tasklease.sweep() == {"requeued": 0, "failed": 0}
    assert status_of(long_running) == status_of(just_claimed) == TaskResultStatus.RUNNING


@pytest.mark.parametrize("status", [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
def test_a_finished_task_is_not_touched(db, status):
    heartbeat("w-1", LEASE * 2)
    row = task_row(status=status)
    assert tasklease.sweep() == {"requeued": 0, "failed": 0}
    assert status_of(row) == status
    assert not AuditEvent.objects.filter(event__startswith="task_").exists()


def test_a_task_that_lost_its_worker_too_often_is_given_up(db):
    row = task_row(workers=("w-1", "w-2", "w-3"))
    assert tasklease.sweep() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and row.finished_at is not None
    assert row.exception_class_path == "tongban.core.tasklease.WorkerLost"
    assert row.task_result.errors[0].exception_class is tasklease.WorkerLost
    assert AuditEvent.objects.filter(event="task_abandoned", object_id=str(row.pk)).exists()


def test_two_sweepers_that_both_saw_the_orphan_requeue_it_once(db):
    row = task_row()
    now = timezone.now()
    first, second = tasklease.orphaned(now), tasklease.orphaned(now)
    assert [o.id for o in first] == [o.id for o in second] == [str(row.pk)]
    outcomes = [tasklease.release(first[0], now), tasklease.release(second[0], now)]
    assert outcomes == ["requeued", None]
    assert AuditEvent.objects.filter(event="task_requeued").count() == 1


def test_a_sweeper_late_for_a_task_claimed_again_leaves_the_new_run_alone(db):
    row = task_row()
    now = timezone.now()
    [orphan] = tasklease.orphaned(now)
    assert tasklease.release(orphan, now) == "requeued"
    row.refresh_from_db()
    row.claim("w-2")  # a fresh worker took it
    assert tasklease.release(orphan, now) is None
    assert status_of(row) == TaskResultStatus.RUNNING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_running_at_once_requeue_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    row = task_row()
    both_listed = threading.Barrier(2)
    outcomes = []
    real_orphaned = tasklease.orphaned

    def listed_together(now):
        found = real_orphaned(now)
        both_listed.wait(timeout=30)
        return found

    def sweeper():
        try:
            outcomes.append(tasklease.sweep())
        finally:
            connection.close()

    tasklease.orphaned = listed_together
    try:
        threads = [threading.Thread(target=sweeper) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        tasklease.orphaned = real_orphaned
    assert sorted(o["requeued"] for o in outcomes) == [0, 1]
    assert status_of(row) == TaskResultStatus.READY
    assert AuditEvent.objects.filter(event="task_requeued").count() == 1


def db_task_result(worker_ids):
    return SimpleNamespace(db_result=object(), worker_ids=worker_ids)


def test_a_database_worker_beats_while_it_runs_a_task_and_stops_after(db, settings):
    settings.TONGBAN_TASK_LEASE_SECONDS = 0.3  # a beat every 0.1 s
    tasklease.on_task_started(None, task_result=db_task_result(["w-9"]))
    try:
        assert tasklease.current_worker() == "w-9"
        first = TaskWorker.objects.get(pk="w-9").beat_at
        assert not tasklease.worker_gone("w-9")
    finally:
        tasklease.on_task_finished(None, task_result=db_task_result(["w-9"]))
    assert tasklease.current_worker() == ""
    assert TaskWorker.objects.get(pk="w-9").beat_at >= first


def test_tasks_of_other_backends_do_not_beat(db):
    tasklease.on_task_started(None, task_result=SimpleNamespace(worker_ids=["rq-1"]))
    assert tasklease.current_worker() == ""
    assert not TaskWorker.objects.exists()


def test_a_worker_is_gone_only_once_it_beat_and_then_fell_silent(db):
    heartbeat("silent", LEASE * 2)
    heartbeat("beating", 1)
    assert tasklease.worker_gone("silent")
    assert not tasklease.worker_gone("beating")
    assert not tasklease.worker_gone("never-seen") and not tasklease.worker_gone("")


def test_heartbeats_of_workers_silent_for_a_day_are_forgotten(db):
    heartbeat("old", 2 * 24 * 3600)
    heartbeat("recent", 1)
    tasklease.sweep()
    assert list(TaskWorker.objects.values_list("pk", flat=True)) == ["recent"]


def test_the_sweep_command_prints_its_counts(db):
    task_row()
    out = StringIO()
    call_command("tasks", "sweep", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"requeued": 1, "failed": 0}
    out = StringIO()
    call_command("tasks", "sweep", stdout=out)
    assert "Queued again: 0." in out.getvalue()


def test_the_sweeps_are_registered_with_the_scheduler():
    assert "core.sweep_task_leases" in periodic.tasks
    assert "notifications.sweep_stuck" in periodic.tasks
