"""Leases on background tasks: a task whose worker died is queued again, never left RUNNING.

django-tasks-db (0.13) claims a task by marking it RUNNING with the worker's id, and has no
heartbeat (its issue #5, open): a worker killed mid-task leaves the row RUNNING for ever, so
nothing runs it again and nothing notices. Tongban adds a lease:

- While a database worker runs a task it **beats**: the ``task_started`` signal writes
  ``TaskWorker.beat_at`` at once and starts a thread that writes it again every third of the
  lease until ``task_finished``. This needs no worker of our own: ``tongban db_worker`` and the
  in-process worker of ``tongban serve`` both send those signals.
- ``sweep`` finds tasks RUNNING for longer than the lease (``TONGBAN_TASK_LEASE_SECONDS``, 300)
  whose worker has not beaten within it, and puts each back to READY (the same row and id, one
  conditional UPDATE, so two sweepers re-queue it once) with a ``task_requeued`` audit event.
  After ``TONGBAN_TASK_MAX_RUNS`` (3) runs that all lost their worker, the task is marked FAILED
  (``task_abandoned``) instead, so a task that kills its worker cannot loop for ever.
- It runs every half lease in the embedded default (``core.periodic``) and from cron as
  ``tongban tasks sweep`` in production.

A re-queued task runs again: tasks are at-least-once. Every Tongban task is harmless when run
twice; side effects that must happen at most once guard themselves (notifications record the
worker that claimed a message and ask ``worker_gone`` before settling it).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import audit
from .models import TaskWorker

log = structlog.get_logger("tongban.tasks")
# Heartbeats of workers silent this long are deleted; their tasks were settled long before.
FORGET_WORKERS_AFTER = dt.timedelta(days=1)
ACTOR = "system"
_thread = threading.local()


class WorkerLost(Exception):
    """Recorded as the error of a task abandoned after its workers died ``max_runs`` times."""


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "TONGBAN_TASK_LEASE_SECONDS", 300)))


def max_runs() -> int:
    return int(getattr(settings, "TONGBAN_TASK_MAX_RUNS", 3))


# --- Heartbeats ---------------------------------------------------------------------------------


def current_worker() -> str:
    """The id of the database worker running a task in this thread; '' anywhere else."""
    return getattr(_thread, "worker_id", "")


def beat(worker_id: str) -> None:
    """Records that ``worker_id`` is alive now (one upsert)."""
    TaskWorker.objects.bulk_create(
        [TaskWorker(worker_id=worker_id, beat_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["worker_id"],
        update_fields=["beat_at"],
    )


def worker_gone(worker_id: str, now: dt.datetime | None = None) -> bool:
    """True when ``worker_id`` beat once but not within the lease: it is not running anything."""
    if not worker_id:
        return False
    cutoff = (now or timezone.now()) - lease()
    return TaskWorker.objects.filter(worker_id=worker_id, beat_at__lt=cutoff).exists()


def gone_workers(now: dt.datetime | None = None):
    """The ids of the workers ``worker_gone`` says are gone, as a subquery."""
    cutoff = (now or timezone.now()) - lease()
    return TaskWorker.objects.filter(beat_at__lt=cutoff).values("worker_id")


def _keep_beating(worker_id: str, stop: threading.Event) -> None:
    interval = max(lease().total_seconds() / 3, 0.1)
    try:
        while not stop.wait(interval):
            try:
                beat(worker_id)
            except DatabaseError:  # a locked SQLite file: the next beat tries again
                log.warning("task_heartbeat_missed", worker=worker_id)
    finally:
        connection.close()  # this thread's own connection


def _stop_beating() -> None:
    stop = getattr(_thread, "stop_beating", None)
    if stop is not None:
        stop.set()
    _thread.stop_beating = None
    _thread.worker_id = ""


def on_task_started(sender, task_result, **kwargs) -> None:
    """``task_started`` receiver: a database worker starts beating for the task it claimed."""
    # Only django-tasks-db's results carry the row (and the worker ids) the lease is about.
    if getattr(task_result, "db_result", None) is None or not task_result.worker_ids:
        return
    _stop_beating()  # a previous task whose ``task_finished`` was never sent
    worker_id = task_result.worker_ids[-1]
    _thread.worker_id = worker_id
    try:
        beat(worker_id)
    except DatabaseError:  # the worker's signal must never fail the task; the thread retries
        log.warning("task_heartbeat_missed", worker=worker_id)
    stop = threading.Event()
    _thread.stop_beating = stop
    threading.Thread(
        target=_keep_beating, args=(worker_id, stop), name="tongban-task-heartbeat", daemon=True
    ).start()


def on_task_finished(sender, task_result, **kwargs) -> None:
    _stop_beating()


# --- The sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Orphan:
    id: str
    task_path: str
    worker_ids: list
    started_at: dt.datetime

    @property
    def worker(self) -> str:
        return self.worker_ids[-1] if self.worker_ids else ""


def orphaned(now: dt.datetime) -> list[Orphan]:
    """Tasks RUNNING past the lease whose worker has not beaten within it.

    Unbatched on purpose: a live worker runs one task at a time, so RUNNING rows number the
    workers plus the orphans, never the queue.
    """
    cutoff = now - lease()
    running = [
        Orphan(str(row["id"]), row["task_path"], list(row["worker_ids"] or []), row["started_at"])
        for row in DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .order_by("started_at")
        .values("id", "task_path", "worker_ids", "started_at")
    ]
    workers = {orphan.worker for orphan in running}
    alive = set(
        TaskWorker.objects.filter(worker_id__in=workers, beat_at__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    return [orphan for orphan in running if orphan.worker not in alive]


def release(orphan: Orphan, now: dt.datetime) -> str | None:
    """Re-queues (or, after ``max_runs``, fails) one orphan; None if someone else already did."""
    runs = len(orphan.worker_ids)
    with transaction.atomic():
        # Still the very run we judged orphaned: not finished, not re-queued and claimed again.
        same_run = DBTaskResult.objects.filter(
            pk=orphan.id, status=TaskResultStatus.RUNNING, started_at=orphan.started_at
        )
        if runs >= max_runs():
            event, outcome = "task_abandoned", "failed"
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: the worker running this task stopped beating, {runs} times.",
            )
        else:
            event, outcome = "task_requeued", "requeued"
            changed = same_run.update(status=TaskResultStatus.READY, started_at=None)
        if not changed:
            return None
        audit.record(
            event,
            actor=ACTOR,
            obj_type="task",
            obj_id=orphan.id,
            payload={"task": orphan.task_path, "worker": orphan.worker, "runs": runs},
        )
    return outcome


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Re-queues the tasks of dead workers (see the module docstring); returns the counts."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for orphan in orphaned(now):
        outcome = release(orphan, now)
        if outcome is not None:
            counts[outcome] += 1
    TaskWorker.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    if any(counts.values()):
        log.info("task_lease_sweep_done", **counts)
    return counts
