"""Random sequences of actions, days passing and sweeps never reach an illegal state, and due
dates never move backwards — they move forward only by a pause ending or the one extension."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tongban.cases import events, services
from tongban.cases.constants import CaseAction, CaseStatus, PauseReason
from tongban.cases.models import Case
from tongban.cases.sweep import sweep
from tongban.cases.transitions import TABLE

from .test_transitions import CALLS, case_in

# The only actions after which a due date may be later than before.
MOVES_DUE_DATES = {
    CaseAction.END_SPECIAL_PROCEDURE,
    CaseAction.RESUBMIT,
    CaseAction.WITHDRAW,
    CaseAction.EXTEND,
}
SETTLED = {CaseStatus.APPROVED, CaseStatus.DENIED, CaseStatus.DELIVERED}


def machine_for(world, start_day: dt.date):
    class LifeCycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.day = start_day
            events.today = lambda: self.day
            self.case = case_in(world, CaseStatus.DRAFT, item=world.on_the_spot)
            self.dues = (None, None)
            self.history: list[str] = []

        def reload(self) -> Case:
            return Case.objects.get(pk=self.case.pk)

        @rule(action=st.sampled_from(sorted(TABLE)), days=st.integers(0, 4))
        def act(self, action, days):
            self.day += dt.timedelta(days=days)
            before = self.reload()
            who, call = CALLS[action]
            allowed = before.status in TABLE[action].sources and not (
                action == CaseAction.EXTEND and before.extended
            )
            try:
                after = call(getattr(world, who), before.number)
            except services.IllegalTransition:
                assert not allowed, f"{action} refused from {before.status}"
                assert self.reload().status == before.status
                return
            except ValidationError as error:
                # The one guard besides the table: no extension after the time ran out.
                assert action == CaseAction.EXTEND
                assert error.error_dict["reason"][0].code == "too_late"
                return
            assert allowed, f"{action} accepted from {before.status}"
            expected = TABLE[action].target or before.status
            if action == CaseAction.RESUBMIT and before.accepted_at:
                expected = CaseStatus.IN_REVIEW
            assert after.status == expected
            self.check_due_dates(action)

        @rule(days=st.integers(0, 10))
        def days_pass_and_the_sweep_runs(self, days):
            self.day += dt.timedelta(days=days)
            before = self.reload().status
            sweep(self.day)
            after = self.reload().status
            assert after == before or (before, after) == (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED)
            self.check_due_dates(
                CaseAction.DEEMED_ACCEPTANCE if after != before else CaseAction.FLAG
            )

        def check_due_dates(self, action):
            case = self.reload()
            now = (case.statutory_due, case.promised_due)
            for old, new in zip(self.dues, now, strict=True):
                if old is not None:
                    assert new is not None and new >= old, f"{action} moved a due date back"
                    if new > old:
                        assert action in MOVES_DUE_DATES, f"{action} moved a due date"
            self.dues = now
            self.history.append(action)

        @invariant()
        def the_state_is_consistent(self):
            case = self.reload()
            assert case.status in CaseStatus.values
            paused_states = case.status == CaseStatus.SPECIAL_PROCEDURE or (
                case.status == CaseStatus.SUPPLEMENT_REQUESTED and case.accepted_at is not None
            )
            assert (case.paused_since is not None) == paused_states
            if case.paused_since is not None:
                assert case.pause_reason in PauseReason.values
            if case.status in SETTLED:
                assert case.decided_at is not None and case.accepted_at is not None
            if case.status in (CaseStatus.REFUSED, CaseStatus.CLOSED):  # closed: decided or refused
                assert case.decided_at is not None
            if case.accepted_at is not None:
                assert case.statutory_due is not None and case.promised_due is not None
                assert case.promised_due <= case.statutory_due
            assert case.events.filter(action=CaseAction.EXTEND).count() <= 1

    return LifeCycle


@pytest.mark.django_db
def test_random_life_cycles(world, monkeypatch):
    monkeypatch.setattr(events, "today", events.today)  # restored after the test
    run_state_machine_as_test(
        machine_for(world, dt.date(2026, 9, 14)),
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
