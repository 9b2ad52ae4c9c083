"""A company's case and the scopes of the people authorised for it: every scope × action,
through the service and the API (and the pages for a representative subset).

The case belongs to the company and was started by the agent themself: a company's case is
never the person's own, so only the scope counts. Refused: 403 with the reason, nothing
changes. Without a valid authorisation for cases (certificates only, or revoked): 404.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.catalog.factories import make_item
from tongban.accounts import services as accounts
from tongban.accounts.constants import AuthorisationScope, CompanyIdentifierKind
from tongban.cases import services
from tongban.cases.constants import CaseStatus
from tongban.cases.delivery_models import ResultDelivery
from tongban.cases.rating_models import Rating

from .conftest import CHANNELS, case_in, consent, pdf_bytes, upload
from .test_api import client_for

SCOPES = ["apply", "receive_results", "certificates", "manage", "revoked"]
S = CaseStatus
# action: (state of the case, outcome for an agent holding only the scope, in SCOPES order)
MATRIX = {
    "view": (S.SUBMITTED, "ok ok 404 ok 404"),
    "letters": (S.SUBMITTED, "ok ok 404 ok 404"),
    "edit_form": (S.DRAFT, "ok 403 404 ok 404"),
    "upload": (S.DRAFT, "ok 403 404 ok 404"),
    "submit": (S.DRAFT, "ok 403 404 ok 404"),
    "resubmit": (S.SUPPLEMENT_REQUESTED, "ok 403 404 ok 404"),
    "withdraw": (S.SUBMITTED, "ok 403 404 ok 404"),
    "choose_delivery": (S.SUBMITTED, "ok ok 404 ok 404"),
    "rate": (S.APPROVED, "ok ok 404 ok 404"),
}
SERVICE = {
    "view": lambda u, n: services.case_detail(u, n),
    "letters": lambda u, n: services.case_letters(u, n),
    "edit_form": lambda u, n: services.save_draft(u, n, form_data={"details": "changed"}),
    "upload": lambda u, n: services.add_attachment(u, n, upload("a.pdf", pdf_bytes())),
    "submit": lambda u, n: services.submit(u, n),
    "resubmit": lambda u, n: services.resubmit(u, n),
    "withdraw": lambda u, n: services.withdraw(u, n),
    "choose_delivery": lambda u, n: services.set_delivery_preference(u, n, method="download"),
    "rate": lambda u, n: services.submit_rating(u, case_number=n, level=5),
}
JSON = "application/json"
API = {  # action: (method, path, body, status when allowed); the letters have no API
    "view": ("get", "/api/v1/cases/{n}", None, 200),
    "edit_form": ("put", "/api/v1/cases/{n}/form", {"form_data": {"details": "changed"}}, 200),
    "upload": ("post", "/api/v1/cases/{n}/attachments", "file", 201),
    "submit": ("post", "/api/v1/cases/{n}/submit", None, 200),
    "resubmit": ("post", "/api/v1/cases/{n}/resubmit", {"note": ""}, 200),
    "withdraw": ("post", "/api/v1/cases/{n}/withdraw", {"note": ""}, 200),
    "choose_delivery": ("put", "/api/v1/delivery/{n}/preference", {"method": "download"}, 200),
    "rate": ("post", "/api/v1/ratings", {"level": 5}, 201),
}
CELLS = [
    (action, scope, outcome)
    for action, (_state, row) in MATRIX.items()
    for scope, outcome in zip(SCOPES, row.split(), strict=True)
]
SCOPE_REFUSAL = "Your authorisation to act for this company does not allow this."


@pytest.fixture
def company_world(world, make_user):
    """The company (managed by ``world.person``), a service for companies, and one agent per
    scope, each holding that scope only (``revoked``: an ``apply`` authorisation revoked)."""
    manager = world.person
    company = accounts.create_company(
        manager.user,
        identifier_kind=CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
        identifier="55555555",
        name_zh="代理有限公司",
        name_en="Agency Ltd",
        authorise_person=manager,
    )
    item = make_item(world.housing, materials=0, channels=CHANNELS, for_companies=True)
    agents = {}
    for n, scope in enumerate(SCOPES):
        person = accounts.register_person(
            user=make_user(f"agent{n}@example.com"), name_en=f"AGENT {n}"
        )
        consent(person)
        granted = accounts.authorise(
            manager.user,
            person,
            company,
            [AuthorisationScope.APPLY if scope == "revoked" else scope],
        )
        if scope == "revoked":
            accounts.revoke_authorisation(manager.user, granted[0])
        agents[scope] = person
    world.company, world.company_item, world.agents = company, item, agents
    return world


def company_case(w, status, person):
    fields = {"decided_at": timezone.now()} if status == S.APPROVED else {}
    return case_in(
        w,
        status,
        item=w.company_item,
        applicant_person=person,
        submitted_by=person.user,
        applicant_company=w.company,
        **fields,
    )


def snapshot(case) -> tuple:
    """Everything a refused action could have changed."""
    case.refresh_from_db()
    return (
        case.status,
        case.form_data,
        case.attachments.count(),
        case.events.count(),
        ResultDelivery.objects.filter(case=case).exists(),
        Rating.objects.filter(case=case).count(),
    )


@pytest.mark.parametrize(
    ("action", "scope", "expected"), CELLS, ids=[f"{a}-{s}" for a, s, _ in CELLS]
)
def test_service(company_world, action, scope, expected):
    agent = company_world.agents[scope]
    case = company_case(company_world, MATRIX[action][0], agent)
    before = snapshot(case)
    try:
        SERVICE[action](agent.user, case.number)
        outcome = "ok"
    except PermissionDenied as error:
        assert str(error) == SCOPE_REFUSAL
        outcome = "403"
    except services.CaseNotFound:
        outcome = "404"
    assert outcome == expected
    if outcome != "ok":
        assert snapshot(case) == before


API_CELLS = [cell for cell in CELLS if cell[0] in API]


@pytest.mark.parametrize(
    ("action", "scope", "expected"), API_CELLS, ids=[f"{a}-{s}" for a, s, _ in API_CELLS]
)
def test_api(company_world, action, scope, expected):
    agent = company_world.agents[scope]
    case = company_case(company_world, MATRIX[action][0], agent)
    before = snapshot(case)
    method, path, body, allowed = API[action]
    client = client_for(agent.user)
    url = path.format(n=case.number)
    if body == "file":
        answer = client.post(url, {"file": upload("a.pdf", pdf_bytes(), "application/pdf")})
    elif action == "rate":
        answer = client.post(url, {**body, "case": case.number}, content_type=JSON)
    elif body is None:
        answer = getattr(client, method)(url)
    else:
        answer = getattr(client, method)(url, body, content_type=JSON)
    expected_status = {"ok": allowed, "403": 403, "404": 404}[expected]
    assert answer.status_code == expected_status, answer.content
    if expected == "403":
        assert answer.json()["detail"] == SCOPE_REFUSAL
        assert answer.json()["code"] == "forbidden"
    if expected != "ok":
        assert snapshot(case) == before


def test_an_agent_who_only_receives_results_cannot_change_a_colleagues_application(
    company_world,
):
    """The issue as reported: the manager started the application; the agent authorised to
    receive results sees it, but editing, uploading, submitting and withdrawing are refused."""
    w = company_world
    draft = company_case(w, S.DRAFT, w.person)
    client = client_for(w.agents["receive_results"].user)
    before = snapshot(draft)
    shown = client.get(f"/api/v1/cases/{draft.number}")
    assert shown.status_code == 200 and shown.json()["actions"] == []
    base = f"/api/v1/cases/{draft.number}"
    answers = [
        client.put(f"{base}/form", {"form_data": {"x": "y"}}, content_type=JSON),
        client.post(f"{base}/attachments", {"file": upload("a.pdf", pdf_bytes())}),
        client.post(f"{base}/submit"),
        client.post(f"{base}/withdraw", {"note": ""}, content_type=JSON),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert {a.json()["detail"] for a in answers} == {SCOPE_REFUSAL}
    assert snapshot(draft) == before


# --- The pages ---------------------------------------------------------------------------------


def test_pages_show_a_results_agent_the_case_and_refuse_changes(company_world):
    w = company_world
    submitted = company_case(w, S.SUBMITTED, w.person)
    draft = company_case(w, S.DRAFT, w.person)
    page = client_for(w.agents["receive_results"].user)

    listed = page.get("/me/cases/")
    assert submitted.number in listed.content.decode()
    shown = page.get(f"/me/cases/{submitted.number}/")
    assert shown.status_code == 200
    assert "Withdraw this application" not in shown.content.decode()

    before = snapshot(submitted)
    refused = page.post(f"/me/cases/{submitted.number}/withdraw/", {"note": "no"})
    assert refused.status_code == 403
    assert SCOPE_REFUSAL in refused.content.decode()
    assert snapshot(submitted) == before

    before = snapshot(draft)
    edit = page.post(
        f"/me/cases/{draft.number}/details/", {"details": "x", "contact_preference": "email"}
    )
    assert edit.status_code == 403 and SCOPE_REFUSAL in edit.content.decode()
    assert page.get(f"/me/cases/{draft.number}/materials/").status_code == 403
    assert snapshot(draft) == before

    delivery = page.post(f"/me/cases/{submitted.number}/delivery/", {"delivery-method": "download"})
    assert delivery.status_code == 302
    assert ResultDelivery.objects.get(case=submitted).method == "download"


def test_pages_let_an_apply_agent_work_and_hide_the_case_from_others(company_world):
    w = company_world
    draft = company_case(w, S.DRAFT, w.person)
    saved = client_for(w.agents["apply"].user).post(
        f"/me/cases/{draft.number}/details/", {"details": "ours", "contact_preference": "email"}
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data["details"] == "ours"
    for scope in ("certificates", "revoked"):
        client = client_for(w.agents[scope].user)
        assert client.get(f"/me/cases/{draft.number}/").status_code == 404
        assert draft.number not in client.get("/me/cases/").content.decode()


# --- Starting an application while holding an authorisation (was a 500) ------------------------


def test_the_apply_page_works_for_a_person_holding_a_company_authorisation(company_world):
    w = company_world
    person_item = make_item(w.housing, materials=0, channels=CHANNELS)
    me = client_for(w.applicant)  # manages the company
    for_company = me.get(f"/apply/{w.company_item.implementation_code}/")
    assert for_company.status_code == 200
    assert "代理有限公司 (Agency Ltd)" in for_company.content.decode()
    for_myself = me.get(f"/apply/{person_item.implementation_code}/")
    assert for_myself.status_code == 200
    assert "Agency Ltd" not in for_myself.content.decode()
    started = me.post(
        f"/apply/{w.company_item.implementation_code}/",
        {"idempotency_key": "k-1", "company": str(w.company.pk)},
    )
    assert started.status_code == 302
    case = services.my_cases(w.applicant)[0][0]
    assert case.applicant_company_id == w.company.pk


def test_the_answer_to_a_follow_up_needs_the_authorisation_still_in_force(company_world):
    """The rater of a company's case answers the outcome of its follow-up only while they still
    act for the company."""
    w = company_world
    agent = w.agents["apply"]
    case = company_case(w, S.APPROVED, agent)
    follow_up = services.submit_rating(agent.user, case_number=case.number, level=1).follow_up
    services.record_call_back(w.reviewer, follow_up.pk, reached=True, note="Apologised")
    services.record_outcome(w.reviewer, follow_up.pk, outcome="fixed", note="Done")
    [authorisation] = agent.authorisations.filter(company=w.company)
    accounts.revoke_authorisation(w.applicant, authorisation)
    with pytest.raises(PermissionDenied):
        services.give_feedback(agent.user, follow_up.pk, feedback="satisfied")
    follow_up.refresh_from_db()
    assert follow_up.feedback == "" and follow_up.status == "resolved"
