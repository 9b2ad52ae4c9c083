"""The authorisation matrix: every action, for every role, against the objects that matter.

Each row lists the expected answer for the actors in ``ACTORS`` order: Y allowed, . denied.
The table is written out by hand (not derived from the policy) so that a change to the
policy shows up here as a failing row.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tongban.accounts import services
from tongban.accounts.constants import AuthorisationScope, CompanyIdentifierKind, Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import Person
from tongban.accounts.permissions import Action, can, require

ACTORS = ["applicant", "clerk", "reviewer", "supervisor", "editor", "auditor", "admin"]

MATRIX = [
    # action, target, applicant clerk reviewer supervisor editor auditor admin
    (Action.PERSON_VIEW, None, "YY.Y.YY"),
    (Action.PERSON_VIEW, "own_person", "Y..Y.YY"),
    (Action.PERSON_VIEW, "other_person", "...Y.YY"),
    (Action.PERSON_VIEW, "zone_person", ".Y.Y.YY"),
    (Action.PERSON_VIEW, "far_person", "...Y.YY"),
    (Action.PERSON_EDIT, None, "YY....Y"),
    (Action.PERSON_EDIT, "own_person", "Y.....Y"),
    (Action.PERSON_EDIT, "other_person", "......Y"),
    (Action.PERSON_EDIT, "zone_person", ".Y....Y"),
    (Action.PERSON_EDIT, "far_person", "......Y"),
    (Action.PERSON_CREATE, None, ".Y....Y"),
    (Action.PERSON_LOOKUP, None, ".Y.Y..Y"),
    (Action.PERSON_EXPORT, None, "Y.....Y"),
    (Action.PERSON_EXPORT, "own_person", "Y.....Y"),
    (Action.PERSON_EXPORT, "other_person", "......Y"),
    (Action.PERSON_REQUEST_DELETION, "own_person", "Y......"),
    (Action.PERSON_REQUEST_DELETION, "other_person", "......."),
    (Action.IDENTIFIER_VIEW_FULL, "own_person", "Y......"),
    (Action.IDENTIFIER_VIEW_FULL, "other_person", "......."),
    (Action.IDENTIFIER_VIEW_FULL, "zone_person", "......."),
    (Action.DOCUMENT_ADD, "own_person", "Y.....Y"),
    (Action.DOCUMENT_ADD, "zone_person", ".Y....Y"),
    (Action.DOCUMENT_ADD, "far_person", "......Y"),
    (Action.DOCUMENT_REMOVE, "own_document", "Y.....Y"),
    (Action.DOCUMENT_REMOVE, "other_document", "......Y"),
    (Action.COMPANY_VIEW, "own_company", "YY.Y.YY"),
    (Action.COMPANY_VIEW, "agent_company", "YY.Y.YY"),
    (Action.COMPANY_VIEW, "other_company", ".Y.Y.YY"),
    (Action.COMPANY_CREATE, None, "YY....Y"),
    (Action.COMPANY_AUTHORISE, "own_company", "Y.....Y"),
    (Action.COMPANY_AUTHORISE, "agent_company", "......Y"),
    (Action.COMPANY_AUTHORISE, "other_company", "......Y"),
    (Action.CONSENT_GIVE, "own_person", "Y......"),
    (Action.CONSENT_GIVE, "other_person", "......."),
    (Action.CONSENT_GIVE, "zone_person", ".Y....."),
    (Action.CONSENT_GIVE, "far_person", "......."),
    (Action.CONSENT_WITHDRAW, "own_person", "Y......"),
    (Action.CONSENT_WITHDRAW, "other_person", "......."),
    (Action.CONSENT_VIEW, "own_person", "YYYY.YY"),
    (Action.CONSENT_VIEW, "other_person", ".YYY.YY"),
    (Action.CASE_VIEW, "own_case", "YYYY.YY"),
    (Action.CASE_VIEW, "company_case", "Y..Y.YY"),
    (Action.CASE_VIEW, "zone_case", ".Y.Y.YY"),
    (Action.CASE_VIEW, "department_case", "..YY.YY"),
    (Action.CASE_VIEW, "other_case", "...Y.YY"),
    (Action.CASE_SUBMIT, "own_case", "YY....."),
    (Action.CASE_SUBMIT, "zone_case", ".Y....."),
    (Action.CASE_SUBMIT, "other_case", "......."),
    (Action.CASE_SUBMIT, "company_case", "Y......"),
    (Action.CASE_REVIEW, "department_case", "..YY..."),
    (Action.CASE_REVIEW, "other_case", "...Y..."),
    (Action.CASE_WITHDRAW, "own_case", "YY....."),
    (Action.CASE_WITHDRAW, "zone_case", ".Y....."),
    (Action.CASE_WITHDRAW, "other_case", "......."),
    (Action.CASE_WITHDRAW, "company_case", "Y......"),
    (Action.CASE_CHOOSE_DELIVERY, "own_case", "YY....."),
    (Action.CASE_CHOOSE_DELIVERY, "zone_case", ".Y....."),
    (Action.CASE_CHOOSE_DELIVERY, "company_case", "Y......"),
    (Action.CASE_CHOOSE_DELIVERY, "other_case", "......."),
    (Action.CASE_RATE, "own_case", "Y......"),
    (Action.CASE_RATE, "company_case", "Y......"),
    (Action.CASE_RATE, "zone_case", "......."),
    (Action.CASE_DELIVER, "own_case", ".YYY..."),
    (Action.CASE_DELIVER, "department_case", "..YY..."),
    (Action.CASE_DELIVER, "zone_case", ".Y.Y..."),
    (Action.CASE_DELIVER, "other_case", "...Y..."),
    (Action.CASE_SUPERVISE, None, "...Y.YY"),
    (Action.CATALOG_EDIT, None, "....Y.Y"),
    (Action.AUDIT_VIEW, None, "...Y.YY"),
    (Action.DATA_REQUEST_PROCESS, None, "......Y"),
    (Action.STAFF_MANAGE, None, "......Y"),
]


@pytest.fixture
def world(make_user, make_applicant, zones, departments):
    """Actors and targets: a Macau clerk, a housing reviewer, an applicant who manages one
    company and acts (to apply only) for another, and other people's things."""
    me = make_applicant("me@example.com", documents=[(IdentifierKind.HKID, "A123456(3)")])
    other = make_applicant("other@example.com", documents=[(IdentifierKind.HKID, "B1234566")])
    admin = make_user("admin@example.com", Role.ADMINISTRATOR)
    actors = {
        "applicant": me.user,
        "clerk": make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"]),
        "reviewer": make_user(
            "reviewer@example.com", Role.DEPARTMENT_REVIEWER, department=departments["housing"]
        ),
        "supervisor": make_user("supervisor@example.com", Role.SUPERVISOR),
        "editor": make_user("editor@example.com", Role.CATALOG_EDITOR),
        "auditor": make_user("auditor@example.com", Role.AUDITOR),
        "admin": admin,
    }

    def company(name, number, person):
        return services.create_company(
            admin,
            identifier_kind=CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
            identifier=number,
            name_en=name,
            authorise_person=person,
        )

    own_company = company("Mine Ltd", "11111111", me)
    agent_company = company("Client Ltd", "22222222", other)
    services.authorise(admin, me, agent_company, [AuthorisationScope.APPLY])
    other_company = company("Theirs Ltd", "33333333", other)

    def counter_person(name, zone):
        return Person.objects.create(name_en=name, registered_at_zone=zone)

    def case(person=None, company=None, zone=None, department=None):
        # Stands for a later app's case: the policy reads these attributes.
        return SimpleNamespace(
            applicant_person_id=person.pk if person else None,
            applicant_company_id=company.pk if company else None,
            received_at_zone_id=zone.pk,
            department_id=department.pk,
        )

    housing, tax = departments["housing"], departments["tax"]
    targets = {
        None: None,
        "own_person": me,
        "other_person": other,
        "zone_person": counter_person("Walk-in at MO-1", zones["mo"]),
        "far_person": counter_person("Walk-in at HK", zones["hk"]),
        "own_document": me.documents.get(),
        "other_document": other.documents.get(),
        "own_company": own_company,
        "agent_company": agent_company,
        "other_company": other_company,
        "own_case": case(person=me, zone=zones["mo"], department=housing),
        "company_case": case(company=agent_company, zone=zones["hk"], department=tax),
        "zone_case": case(person=other, zone=zones["mo"], department=tax),
        "department_case": case(person=other, zone=zones["hk"], department=housing),
        "other_case": case(person=other, zone=zones["hk"], department=tax),
    }
    return actors, targets


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action, target, expected", MATRIX, ids=[f"{a.value}-{t}" for a, t, _ in MATRIX]
)
def test_matrix(world, action, target, expected):
    actors, targets = world
    obj = targets[target]
    answers = "".join("Y" if can(actors[name], action, obj) else "." for name in ACTORS)
    assert answers == expected, dict(zip(ACTORS, answers, strict=True))


def test_every_action_is_in_the_matrix():
    assert {action for action, _, _ in MATRIX} == set(Action)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_may_do_nothing(world):
    actors, targets = world
    actors["admin"].is_active = False
    for action in Action:
        assert not can(AnonymousUser(), action, None)
        assert not can(actors["admin"], action, targets["own_person"])


@pytest.mark.django_db
def test_require_raises_permission_denied(world):
    actors, targets = world
    with pytest.raises(PermissionDenied):
        require(actors["applicant"], Action.PERSON_VIEW, targets["other_person"])
    require(actors["applicant"], Action.PERSON_VIEW, targets["own_person"])


@pytest.mark.django_db
def test_revoked_authorisation_ends_access(world):
    actors, targets = world
    me = targets["own_person"]
    company = targets["agent_company"]
    [authorisation] = me.authorisations.filter(company=company)
    services.revoke_authorisation(actors["admin"], authorisation)
    assert not can(actors["applicant"], Action.COMPANY_VIEW, company)


# --- The company's scopes: what a person authorised for a company may do with its things ------

SCOPES = ["apply", "receive_results", "certificates", "manage", "revoked"]
# action: answers for an agent holding only the scope in SCOPES order ("revoked": an apply
# authorisation since revoked). The case is the company's and was started by the agent: a
# company's case is never the person's own.
SCOPE_MATRIX = [
    (Action.COMPANY_VIEW, "company", "YYYY."),
    (Action.COMPANY_AUTHORISE, "company", "...Y."),
    (Action.CASE_VIEW, "case", "YY.Y."),
    (Action.CASE_SUBMIT, "case", "Y..Y."),
    (Action.CASE_WITHDRAW, "case", "Y..Y."),
    (Action.CASE_CHOOSE_DELIVERY, "case", "YY.Y."),
    (Action.CASE_RATE, "case", "YY.Y."),
]


@pytest.fixture
def agents(make_applicant, make_user):
    """For each scope, a person authorised by the company's manager in that scope only."""
    manager = make_applicant("boss@example.com", documents=[(IdentifierKind.HKID, "A123456(3)")])
    company = services.create_company(
        manager.user,
        identifier_kind=CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
        identifier="44444444",
        name_en="Agency Ltd",
        authorise_person=manager,
    )
    people = {}
    for n, scope in enumerate(SCOPES):
        person = make_applicant(f"agent{n}@example.com", name_en=f"AGENT {n}")
        granted = services.authorise(
            manager.user,
            person,
            company,
            [AuthorisationScope.APPLY if scope == "revoked" else scope],
        )
        if scope == "revoked":
            services.revoke_authorisation(manager.user, granted[0])
        people[scope] = person
    return company, people


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action, target, expected", SCOPE_MATRIX, ids=[a.value for a, _, _ in SCOPE_MATRIX]
)
def test_scope_matrix(agents, action, target, expected):
    company, people = agents
    answers = ""
    for scope in SCOPES:
        person = people[scope]
        case = SimpleNamespace(
            applicant_person_id=person.pk,
            applicant_company_id=company.pk,
            received_at_zone_id=None,
            department_id=None,
        )
        answers += (
            "Y" if can(person.user, action, company if target == "company" else case) else "."
        )
    assert answers == expected, dict(zip(SCOPES, answers, strict=True))


@pytest.mark.django_db
def test_a_scope_refusal_says_why(agents):
    company, people = agents
    case = SimpleNamespace(applicant_person_id=None, applicant_company_id=company.pk)
    with pytest.raises(PermissionDenied, match="authorisation to act for this company"):
        require(people["receive_results"].user, Action.CASE_SUBMIT, case)
    with pytest.raises(PermissionDenied, match="You are not allowed to do this"):
        require(people["revoked"].user, Action.CASE_SUBMIT, case)
