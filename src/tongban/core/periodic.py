"""Background tasks that run on a clock (deadline sweeps, stuck-message sweeps).

Apps register a task with an interval in ``AppConfig.ready``::

    periodic.register("cases.sweep_deadlines", sweep_deadlines, minutes=15)

``tongban serve`` starts ``run_scheduler`` in one of its web workers (elected by a file lock)
beside the in-process task workers (the embedded default); it enqueues each task once per
interval and a worker runs it. With several servers
or the RQ backend, call the same work from cron instead (e.g. ``tongban cases sweep``). A task
enqueued twice must be harmless: every registered task is written to be.
"""

from __future__ import annotations

import fcntl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import structlog
from django.db import connection

from .registries import Registry

log = structlog.get_logger("tongban.periodic")


@dataclass(frozen=True)
class PeriodicTask:
    task: object  # a django_tasks Task
    seconds: float


tasks: Registry = Registry("periodic task")


def register(name: str, task, *, minutes: float) -> None:
    # A plain function would only fail when the scheduler first tries it, minutes later.
    if not callable(getattr(task, "enqueue", None)):
        raise TypeError(f"periodic task {name!r} is not a task (decorate it with @task())")
    if minutes < 0:
        raise ValueError(f"periodic task {name!r} needs an interval of zero or more minutes")
    tasks.register(name, PeriodicTask(task, minutes * 60), replace=True)


def run_scheduler(stop: threading.Event, *, tick: float = 5.0) -> None:
    """Enqueues each registered task once per its interval until ``stop`` is set."""
    due = {name: time.monotonic() for name in tasks.names()}
    while not stop.is_set():
        now = time.monotonic()
        for name, entry in tasks.items():
            if now >= due.setdefault(name, now):
                try:
                    entry.task.enqueue()
                except Exception:  # noqa: BLE001  (a broken queue must not stop the others)
                    log.exception("periodic_enqueue_failed", task=name)
                finally:
                    # This thread lives in the server's parent process, which forks web
                    # workers: hold no database connection across a fork.
                    connection.close()
                due[name] = now + entry.seconds
        stop.wait(tick)


def start_scheduler() -> threading.Event:
    stop = threading.Event()
    threading.Thread(
        target=run_scheduler, args=(stop,), name="tongban-periodic", daemon=True
    ).start()
    return stop


def start_elected_scheduler(lock_path: Path, *, retry_seconds: float = 30.0) -> threading.Event:
    """The scheduler in one web worker of several: whoever holds ``lock_path`` runs it.

    Why not in the server's parent process: a thread there that is logging when gunicorn forks
    a worker hands the worker a lock nobody will release, and that worker then hangs on its
    first log line. In a worker, the lock (``flock``) is released by the kernel when the worker
    dies, and another worker's waiting thread takes over within ``retry_seconds``.
    """
    stop = threading.Event()

    def elect() -> None:
        with open(lock_path, "a+") as handle:  # noqa: PTH123  (held for the thread's life)
            while not stop.is_set():
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    stop.wait(retry_seconds)
                    continue
                log.info("periodic_scheduler_elected")
                run_scheduler(stop)
                return

    threading.Thread(target=elect, name="tongban-periodic", daemon=True).start()
    return stop
