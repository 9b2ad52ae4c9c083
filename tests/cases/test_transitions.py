"""The transition table: every allowed (action, state) pair works, every other one is refused
with IllegalTransition and leaves the case as it was; the API answers those with 409."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.accounts.signin_helpers import sign_in_staff
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus
from tongban.cases.models import Case, CaseEvent
from tongban.cases.transitions import TABLE, transition_for

from .conftest import case_in

ALL_STATES = list(CaseStatus)
# Who does each action in these tests, and with what.
CALLS = {
    CaseAction.SUBMIT: ("applicant", lambda u, n: services.submit(u, n)),
    CaseAction.REQUEST_SUPPLEMENT: (
        "reviewer",
        lambda u, n: services.request_supplement(u, n, missing_other=["清晰的护照复印件"]),
    ),
    CaseAction.RESUBMIT: ("applicant", lambda u, n: services.resubmit(u, n)),
    CaseAction.ACCEPT: ("reviewer", lambda u, n: services.accept(u, n)),
    CaseAction.ACCEPT_AND_DECIDE: ("reviewer", lambda u, n: services.accept_and_decide(u, n)),
    CaseAction.REFUSE: (
        "reviewer",
        lambda u, n: services.refuse(u, n, reasons="不属于本机关职权范围"),
    ),
    CaseAction.START_REVIEW: ("reviewer", lambda u, n: services.start_review(u, n)),
    CaseAction.BEGIN_SPECIAL_PROCEDURE: (
        "reviewer",
        lambda u, n: services.begin_special_procedure(u, n, procedure="expert_review"),
    ),
    CaseAction.END_SPECIAL_PROCEDURE: (
        "reviewer",
        lambda u, n: services.end_special_procedure(u, n),
    ),
    CaseAction.EXTEND: ("reviewer", lambda u, n: services.extend(u, n, reason="需专家评审")),
    CaseAction.APPROVE: ("reviewer", lambda u, n: services.approve(u, n)),
    CaseAction.DENY: ("reviewer", lambda u, n: services.deny(u, n, reasons="条件不符")),
    CaseAction.DELIVER: ("reviewer", lambda u, n: services.deliver(u, n, method="download")),
    CaseAction.CLOSE: ("reviewer", lambda u, n: services.close(u, n)),
    CaseAction.WITHDRAW: ("applicant", lambda u, n: services.withdraw(u, n)),
}
PAIRS = [(action, state) for action in TABLE for state in ALL_STATES]


def test_every_action_of_the_table_has_a_service():
    assert set(CALLS) == set(TABLE)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=[f"{a}-from-{s}" for a, s in PAIRS])
def test_transition_pair(world, action, state):
    # The on-the-spot item has no materials, so submission and acceptance-and-decision both apply.
    case = case_in(world, state, item=world.on_the_spot)
    who, call = CALLS[action]
    events_before = CaseEvent.objects.filter(case=case).count()
    if state in TABLE[action].sources:
        after = call(getattr(world, who), case.number)
        expected = TABLE[action].target or state
        if action == CaseAction.RESUBMIT and case.accepted_at:
            expected = CaseStatus.IN_REVIEW
        assert after.status == expected
        assert CaseEvent.objects.filter(case=case).count() > events_before
    else:
        with pytest.raises(services.IllegalTransition):
            call(getattr(world, who), case.number)
        fresh = Case.objects.get(pk=case.pk)
        assert fresh.status == state and fresh.updated_at == case.updated_at
        assert CaseEvent.objects.filter(case=case).count() == events_before


def test_resubmitting_during_review_returns_to_review(world):
    case = case_in(
        world, CaseStatus.SUPPLEMENT_REQUESTED, item=world.on_the_spot, during_review=True
    )
    after = services.resubmit(world.applicant, case.number)
    assert after.status == CaseStatus.IN_REVIEW and not after.clock_paused


def test_accept_and_decide_only_for_on_the_spot_items(world):
    case = case_in(world, CaseStatus.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.accept_and_decide(world.reviewer, case.number)
    assert caught.value.error_dict["action"][0].code == "not_on_the_spot"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_denial_states_the_right_of_appeal(world):
    case = case_in(world, CaseStatus.IN_REVIEW)
    case = services.deny(world.reviewer, case.number, reasons="申请材料不符合法定条件")
    assert "行政复议" in case.remedy_notice and "行政诉讼" in case.remedy_notice
    # The applicant's language too (the fixture's applicant reads traditional Chinese or English).
    assert len(case.remedy_notice.splitlines()) == 2
    assert case.decision_reasons == "申请材料不符合法定条件"


@pytest.mark.parametrize("action", [a for a in TABLE if a != CaseAction.SUBMIT])
def test_illegal_transitions_answer_409_over_the_api(world, action):
    case = case_in(world, CaseStatus.CLOSED, item=world.on_the_spot)
    who, _call = CALLS[action]
    client = Client()
    sign_in_staff(client, getattr(world, who))
    body = {
        "missing_other": ["x"],
        "reasons": "x",
        "procedure": "hearing",
        "reason": "x",
        "method": "download",
    }
    response = client.post(
        f"/api/v1/cases/{case.number}/{action}", body, content_type="application/json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "illegal_transition"


def test_transition_for_refuses_unknown_actions():
    with pytest.raises(services.IllegalTransition):
        transition_for("teleport", CaseStatus.SUBMITTED)


def test_the_right_of_appeal_has_one_wording_in_traditional_chinese(world):
    from tongban.core.text import to_hong_kong_traditional

    world.person.preferred_language = "zh-hant"
    world.person.save()
    case = services.deny(
        world.reviewer, case_in(world, CaseStatus.IN_REVIEW).number, reasons="不符合条件"
    )
    simplified, traditional = case.remedy_notice.splitlines()
    assert traditional == to_hong_kong_traditional(
        simplified
    )  # the same sentence, not 60 日 vs 六十日
