"""Who may do what to a case, written out by hand: a case of the housing department, received at
the Macau zone MO-1 for the applicant. 404 means the case is hidden from that user."""

import pytest
from django.core.exceptions import PermissionDenied

from tongban.cases import services
from tongban.cases.constants import CaseStatus, Channel

from .conftest import case_in

ACTORS = [
    "applicant",
    "other_applicant",
    "clerk_mo",
    "clerk_hk",
    "reviewer",
    "reviewer_tax",
    "supervisor",
]

# action: (state the case is in, what happens for each actor in ACTORS order)
MATRIX = {
    "view": (CaseStatus.SUBMITTED, "ok 404 ok 404 ok 404 ok"),
    "submit": (CaseStatus.DRAFT, "ok 404 ok 404 403 404 403"),
    "accept": (CaseStatus.SUBMITTED, "403 404 403 404 ok 404 ok"),
    "request_supplement": (CaseStatus.SUBMITTED, "403 404 403 404 ok 404 ok"),
    "withdraw": (CaseStatus.SUBMITTED, "ok 404 ok 404 403 404 403"),
    "approve": (CaseStatus.IN_REVIEW, "403 404 403 404 ok 404 ok"),
    "deliver": (CaseStatus.APPROVED, "403 404 ok 404 ok 404 ok"),
    "queue": (CaseStatus.SUBMITTED, "403 403 403 403 ok ok ok"),
    "overdue": (CaseStatus.SUBMITTED, "403 403 403 403 403 403 ok"),
}
CALLS = {
    "view": lambda u, n: services.case_detail(u, n),
    "submit": lambda u, n: services.submit(u, n),
    "accept": lambda u, n: services.accept(u, n),
    "request_supplement": lambda u, n: services.request_supplement(u, n, missing_other=["x"]),
    "withdraw": lambda u, n: services.withdraw(u, n),
    "approve": lambda u, n: services.approve(u, n),
    "deliver": lambda u, n: services.deliver(u, n, method="download"),
    "queue": lambda u, n: services.reviewer_queue(u),
    "overdue": lambda u, n: services.overdue_cases(u),
}
CELLS = [
    (action, actor, outcome)
    for action, (_state, row) in MATRIX.items()
    for actor, outcome in zip(ACTORS, row.split(), strict=True)
]


@pytest.mark.parametrize(
    ("action", "actor", "expected"), CELLS, ids=[f"{a}-{b}" for a, b, _ in CELLS]
)
def test_permission_matrix(world, action, actor, expected):
    state = MATRIX[action][0]
    case = case_in(
        world,
        state,
        item=world.on_the_spot,
        channel=Channel.COUNTER,
        received_at_zone=world.zones["mo"],
    )
    try:
        CALLS[action](getattr(world, actor), case.number)
        outcome = "ok"
    except PermissionDenied:
        outcome = "403"
    except services.CaseNotFound:
        outcome = "404"
    assert outcome == expected


def test_the_queue_shows_only_the_reviewers_department(world):
    mine = case_in(world, CaseStatus.SUBMITTED)
    theirs = case_in(world, CaseStatus.SUBMITTED, item=world.tax_item)
    assert [c.number for c in services.reviewer_queue(world.reviewer)[0]] == [mine.number]
    assert [c.number for c in services.reviewer_queue(world.reviewer_tax)[0]] == [theirs.number]
    everything = {c.number for c in services.reviewer_queue(world.supervisor)[0]}
    assert everything == {mine.number, theirs.number}


def test_viewer_actions_follow_the_rules(world):
    case = case_in(world, CaseStatus.SUBMITTED)
    assert services.case_detail(world.applicant, case.number).actions == ["withdraw"]
    reviewer_actions = services.case_detail(world.reviewer, case.number).actions
    assert set(reviewer_actions) == {"request_supplement", "accept", "refuse"}
