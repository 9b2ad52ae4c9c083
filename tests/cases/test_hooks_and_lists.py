"""Letters and notifications are queued only after a transition commits; the lists page by
keyset without skipping or repeating a case."""

import datetime as dt

import pytest
from django_tasks.signals import task_enqueued

from tongban.cases import services, tasks
from tongban.cases.constants import CaseStatus, LetterKind
from tongban.cases.hooks import letter_builders

from .conftest import case_in


@pytest.fixture
def enqueued():
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


def letters(seen) -> list[str]:
    return [args[1] for name, args in seen if name == "issue_case_letter"]


@pytest.mark.parametrize(
    ("state", "call", "letter"),
    [
        (CaseStatus.SUBMITTED, lambda w, n: services.accept(w.reviewer, n), LetterKind.ACCEPTANCE),
        (
            CaseStatus.SUBMITTED,
            lambda w, n: services.refuse(w.reviewer, n, reasons="x"),
            LetterKind.REFUSAL,
        ),
        (
            CaseStatus.SUBMITTED,
            lambda w, n: services.request_supplement(w.reviewer, n, missing_other=["x"]),
            LetterKind.SUPPLEMENT,
        ),
        (CaseStatus.IN_REVIEW, lambda w, n: services.approve(w.reviewer, n), LetterKind.APPROVAL),
        (
            CaseStatus.IN_REVIEW,
            lambda w, n: services.deny(w.reviewer, n, reasons="x"),
            LetterKind.DENIAL,
        ),
    ],
)
def test_letters_are_queued_after_commit(
    world, django_capture_on_commit_callbacks, enqueued, state, call, letter
):
    case = case_in(world, state)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call(world, case.number)
    assert enqueued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert letters(enqueued) == [letter]
    assert any(name == "notify_case_event" for name, _args in enqueued)


def test_a_failed_transition_queues_nothing(world, django_capture_on_commit_callbacks, enqueued):
    case = case_in(world, CaseStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.deny(world.reviewer, case.number, reasons="")
    assert enqueued == []


def test_the_letter_task_calls_the_registered_builder(world, monkeypatch):
    case = case_in(world, CaseStatus.ACCEPTED)
    issued = []

    class Issued:
        number = "JMV-2026-000001"

    def builder(case, kind, documents):
        issued.append((case.number, kind, documents.__name__))
        return Issued()

    monkeypatch.setattr(letter_builders, "_entries", {LetterKind.ACCEPTANCE.value: builder})
    result = tasks.issue_case_letter.call(case.pk, LetterKind.ACCEPTANCE)
    assert result == {"status": "issued", "number": "JMV-2026-000001"}
    assert issued == [(case.number, "acceptance", "tongban.documents.services")]
    monkeypatch.setattr(letter_builders, "_entries", {})
    assert tasks.issue_case_letter.call(case.pk, LetterKind.ACCEPTANCE) == {"status": "no_builder"}


def test_reviewer_queue_pages_by_due_date_with_undated_last(world):
    today = dt.date.today()
    dated = [
        case_in(world, CaseStatus.IN_REVIEW, statutory_due=today + dt.timedelta(days=d % 4))
        for d in range(7)
    ]
    undated = [case_in(world, CaseStatus.SUBMITTED) for _ in range(3)]
    seen, cursor = [], None
    while True:
        page, cursor = services.reviewer_queue(world.reviewer, after=cursor, limit=3)
        seen.extend(page)
        if cursor is None:
            break
    assert len(seen) == 10 and len({c.pk for c in seen}) == 10
    assert [c.pk for c in seen[7:]] == [c.pk for c in undated]
    keys = [(c.statutory_due, c.pk) for c in seen[:7]]
    assert keys == sorted(keys) and {c.pk for c in seen[:7]} == {c.pk for c in dated}


def test_my_cases_newest_first_in_pages(world):
    made = [case_in(world, CaseStatus.SUBMITTED).pk for _ in range(5)]
    case_in(world, CaseStatus.SUBMITTED, applicant_person=world.other_person)
    first, cursor = services.my_cases(world.applicant, limit=2)
    second, cursor2 = services.my_cases(world.applicant, after=cursor, limit=2)
    third, end = services.my_cases(world.applicant, after=cursor2, limit=2)
    assert [c.pk for c in first + second + third] == sorted(made, reverse=True)
    assert end is None


def test_a_damaged_cursor_is_a_clear_error(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.reviewer_queue(world.reviewer, after="yesterday_x")
