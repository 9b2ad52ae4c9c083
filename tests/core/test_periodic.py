"""The periodic scheduler enqueues each registered task once per interval."""

import threading

import pytest

from tongban.core import periodic


class FakeTask:
    def __init__(self):
        self.enqueued = 0

    def enqueue(self):
        self.enqueued += 1


def test_each_task_is_enqueued_on_its_clock(monkeypatch, db):
    monkeypatch.setattr(periodic, "tasks", periodic.Registry("periodic task"))
    often, rarely = FakeTask(), FakeTask()
    periodic.register("often", often, minutes=0)
    periodic.register("rarely", rarely, minutes=60)
    stop = threading.Event()
    ticks = iter(range(3))

    def wait(_seconds):
        if next(ticks, None) is None:
            stop.set()

    monkeypatch.setattr(stop, "wait", wait)
    periodic.run_scheduler(stop)
    assert often.enqueued == 4 and rarely.enqueued == 1


def test_cases_register_the_deadline_sweep():
    assert "cases.sweep_deadlines" in periodic.tasks


def test_the_registry_refuses_what_the_scheduler_could_not_run():
    def plain_function():
        return None

    with pytest.raises(TypeError, match="not a task"):
        periodic.register("test.plain", plain_function, minutes=5)
    assert "test.plain" not in periodic.tasks.names()


def test_every_registered_periodic_task_can_be_enqueued():
    assert periodic.tasks.names()
    for _name, entry in periodic.tasks.items():
        assert callable(entry.task.enqueue)


def test_only_one_of_several_workers_runs_the_scheduler(monkeypatch, tmp_path):
    ran = []
    started = threading.Event()

    def fake_run_scheduler(stop, **_kwargs):
        ran.append(threading.current_thread().name)
        started.set()
        stop.wait(5)

    monkeypatch.setattr(periodic, "run_scheduler", fake_run_scheduler)
    lock = tmp_path / "scheduler.lock"
    first = periodic.start_elected_scheduler(lock, retry_seconds=0.05)
    assert started.wait(5)
    second = periodic.start_elected_scheduler(lock, retry_seconds=0.05)
    second.wait(0.3)
    assert len(ran) == 1  # the second waits for the lock
    first.set()  # the first worker goes away: its lock is released and the second takes over
    deadline = threading.Event()
    for _ in range(100):
        if len(ran) == 2:
            break
        deadline.wait(0.05)
    second.set()
    assert len(ran) == 2
