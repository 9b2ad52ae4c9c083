"""At the same moment on PostgreSQL: two reviewers accepting one case, and a double submit with
one Idempotency-Key. Each side runs in its own thread with its own database connection."""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection

from tongban.accounts.constants import Role
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus
from tongban.cases.models import Case, CaseEvent
from tongban.core.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row locks need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls):
    """Runs each call in its own thread, released together; returns results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (the test inspects what each side got)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_reviewers_accepting_at_the_same_moment(world, make_user):
    from allauth.mfa.models import Authenticator

    from .conftest import submitted_case

    second = make_user(
        "second.reviewer@example.com", Role.DEPARTMENT_REVIEWER, department=world.housing
    )
    Authenticator.objects.create(user=second, type=Authenticator.Type.TOTP, data={})
    for _round in range(5):
        case = submitted_case(world)
        results = at_once(
            lambda case=case: services.accept(world.reviewer, case.number),
            lambda case=case: services.accept(second, case.number),
        )
        winners = [r for r in results if isinstance(r, Case)]
        losers = [r for r in results if isinstance(r, services.IllegalTransition)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
        assert CaseEvent.objects.filter(case=case, action=CaseAction.ACCEPT).count() == 1
        assert AuditEvent.objects.filter(object_id=case.number, event="case_accepted").count() == 1


def test_double_submit_with_one_key_makes_one_case(world):
    from .conftest import pdf_bytes, upload

    def apply(key):
        case = services.start_draft(
            world.applicant, world.item.implementation_code, idempotency_key=key
        )
        if not case.attachments.exists():
            # The other click may have submitted it already.
            with contextlib.suppress(services.IllegalTransition):
                services.add_attachment(
                    world.applicant,
                    case.number,
                    upload("a.pdf", pdf_bytes()),
                    requirement_id=world.required.pk,
                )
        return services.submit(world.applicant, case.number, idempotency_key=key)

    for index in range(5):
        key = f"double-click-{index}"
        results = at_once(lambda key=key: apply(key), lambda key=key: apply(key))
        cases = [r for r in results if isinstance(r, Case)]
        assert len(cases) == 2, results
        assert cases[0].pk == cases[1].pk
        assert Case.objects.filter(idempotency_key=key).count() == 1
        assert CaseEvent.objects.filter(case=cases[0], action=CaseAction.SUBMIT).count() == 1
    numbers = sorted(Case.objects.values_list("number", flat=True))
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == list(range(1, len(tails) + 1))  # the losing insert gave its number back
