"""The case world of tests/cases, and a task backend that only records what was queued."""

import pytest

from tests.cases.conftest import (  # noqa: F401  (fixtures)
    _fast_password_hashing,
    _media_in_tmp,
    departments,
    make_applicant,
    make_user,
    world,
    zones,
)


@pytest.fixture
def queued(settings):
    """The tasks queued during the test (the dummy backend runs nothing)."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


def run_queued(results, name: str = "send_notification"):
    """Runs the queued tasks called ``name`` (as a worker would), once each, in order."""
    done = []
    for result in list(results):
        if result.task.name == name:
            done.append(result.task.call(*result.args, **result.kwargs))
    return done
