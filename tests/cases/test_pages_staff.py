"""The staff faces: the counter screen, the reviewer's queue and case page with its actions,
supervision — and what each staff member may not see or do."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import PASSWORD
from tests.accounts.signin_helpers import reauthenticate, sign_in_staff
from tongban.accounts.identifiers import IdentifierKind, hkid_check_digit
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus, DeadlineFlag
from tongban.cases.models import Case

from .conftest import HKID, case_in, image_bytes, submitted_case, upload


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_user(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read English

    def sign_in(user):
        # As a person: signed in with the second factor, and recently re-authenticated, as the
        # reviewer's decisions ask (tests of the re-authentication itself sign in without it).
        sign_in_staff(client, user)
        reauthenticate(client, PASSWORD)
        return client

    return sign_in


# --- Counter -------------------------------------------------------------------------------------


def test_counter_finds_the_applicant_masked_and_starts_a_case(as_user, world):
    w = world
    client = as_user(w.clerk_mo)
    response = client.post(
        reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": "a123456(3)"}
    )
    page = text(response)
    assert response.status_code == 200
    assert w.person.display_name in page
    assert HKID not in page and "A123456" not in page  # masked, never echoed
    response = client.post(
        reverse("cases:counter_start"),
        {"item": w.item.implementation_code, "identity_checked": "on", "idempotency_key": "c-1"},
    )
    case = Case.objects.get(applicant_person=w.person)
    assert response["Location"] == reverse("cases:counter_case", args=[case.number])
    assert case.channel == "counter" and case.received_at_zone == w.zones["mo"]
    assert case.identity_checked_by == w.clerk_mo and case.identity_number_masked

    url = reverse("cases:counter_case", args=[case.number])
    response = client.post(
        url,
        {
            "step": "upload",
            "requirement": w.required.pk,
            "file": upload("scan.png", image_bytes()),
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"step": "submit", "idempotency_key": "c-1"})
    assert response["Location"] == reverse("cases:staff_case", args=[case.number])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_counter_without_finding_first_starts_nothing(as_user, world):
    client = as_user(world.clerk_mo)
    response = client.post(
        reverse("cases:counter_start"),
        {"item": world.item.implementation_code, "identity_checked": "on", "idempotency_key": "x"},
    )
    assert response.status_code == 302 and not Case.objects.exists()


def test_counter_unknown_document_says_so(as_user, world):
    client = as_user(world.clerk_mo)
    unregistered = f"C668668({hkid_check_digit('C668668')})"
    response = client.post(
        reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": unregistered}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Nobody is registered with this document" in page
    assert reverse("cases:counter_start") not in page and not Case.objects.exists()


def test_counter_mistyped_number_explains(as_user, world):
    client = as_user(world.clerk_mo)
    response = client.post(
        reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": "A123456(4)"}
    )
    assert response.status_code == 400 and "error-summary" in text(response)
    assert not Case.objects.exists()


def test_counter_is_for_clerks_only(as_user, world):
    assert as_user(world.reviewer).get(reverse("cases:counter")).status_code == 404
    assert as_user(world.applicant).get(reverse("cases:counter")).status_code == 404


# --- Queue and case page -------------------------------------------------------------------------


def test_queue_lists_the_department_cases_with_flags_and_keyset_pages(as_user, world):
    w = world
    today = timezone.localdate()
    overdue = case_in(
        w,
        CaseStatus.IN_REVIEW,
        statutory_due=today - dt.timedelta(days=3),
        deadline_flag=DeadlineFlag.OVERDUE,
    )
    soon = case_in(
        w,
        CaseStatus.ACCEPTED,
        statutory_due=today + dt.timedelta(days=1),
        deadline_flag=DeadlineFlag.DUE_SOON,
    )
    tax_case = case_in(w, CaseStatus.ACCEPTED, item=w.tax_item)
    client = as_user(w.reviewer)
    page = text(client.get(reverse("cases:queue")))
    assert overdue.number in page and soon.number in page
    assert tax_case.number not in page
    # Badges coloured by meaning: overdue reads as bad, due soon as needing attention.
    assert "tone-negative" in page and "tone-needs-you" in page
    assert "overdue" in page and "due soon" in page
    assert page.index(overdue.number) < page.index(soon.number)
    page = text(client.get(reverse("cases:queue"), {"status": CaseStatus.ACCEPTED}))
    assert soon.number in page and overdue.number not in page
    assert client.get(reverse("cases:queue"), {"status": "nonsense"}).status_code == 400

    extra = [case_in(w, CaseStatus.SUBMITTED) for _ in range(50)]
    page = text(client.get(reverse("cases:queue")))
    assert "after=" in page and extra[-1].number not in page
    cursor = page.split("after=")[1].split('"')[0].replace("&amp;", "&")
    page = text(client.get(reverse("cases:queue") + "?after=" + cursor))
    assert extra[-1].number in page


def test_queue_sorts_by_the_running_clock_not_yet_accepted_included(as_user, world):
    w = world
    today = timezone.localdate()
    # Accepted with a decision due in three weeks; submitted today, so acceptance is due
    # within five working days: the submission is more urgent and comes first.
    later = case_in(
        w,
        CaseStatus.ACCEPTED,
        promised_due=today + dt.timedelta(days=21),
        statutory_due=today + dt.timedelta(days=40),
    )
    fresh = case_in(w, CaseStatus.SUBMITTED)
    paused = case_in(w, CaseStatus.SPECIAL_PROCEDURE)
    page = text(as_user(w.reviewer).get(reverse("cases:queue")))
    assert page.index(fresh.number) < page.index(later.number) < page.index(paused.number)
    assert "acceptance due by" in page and "clock paused" in page


def test_queue_is_refused_to_applicants(as_user, world):
    assert as_user(world.applicant).get(reverse("cases:queue")).status_code == 404


def test_reviewer_of_another_department_gets_404(as_user, world):
    case = submitted_case(world)
    client = as_user(world.reviewer_tax)
    assert client.get(reverse("cases:staff_case", args=[case.number])).status_code == 404
    response = client.post(reverse("cases:act", args=[case.number, CaseAction.ACCEPT]))
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_applicant_cannot_use_the_staff_case_page(as_user, world):
    case = submitted_case(world)
    client = as_user(world.applicant)
    assert client.get(reverse("cases:staff_case", args=[case.number])).status_code == 404
    response = client.post(reverse("cases:act", args=[case.number, CaseAction.ACCEPT]))
    assert response.status_code == 404


def test_case_page_offers_only_the_allowed_actions(as_user, world):
    case = submitted_case(world)
    page = text(as_user(world.reviewer).get(reverse("cases:staff_case", args=[case.number])))
    for allowed in (CaseAction.ACCEPT, CaseAction.REFUSE, CaseAction.REQUEST_SUPPLEMENT):
        assert reverse("cases:act", args=[case.number, allowed]) in page
    for illegal in (CaseAction.APPROVE, CaseAction.DELIVER, CaseAction.EXTEND):
        assert reverse("cases:act", args=[case.number, illegal]) not in page


def test_forced_illegal_action_gets_a_clear_message_and_changes_nothing(as_user, world):
    case = submitted_case(world)
    client = as_user(world.reviewer)
    response = client.post(reverse("cases:act", args=[case.number, CaseAction.APPROVE]), {})
    assert response.status_code == 409
    assert "is not possible now" in text(response)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_refusal_needs_reasons(as_user, world):
    case = submitted_case(world)
    client = as_user(world.reviewer)
    url = reverse("cases:act", args=[case.number, CaseAction.REFUSE])
    response = client.post(url, {"refuse-reasons": "  "})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    response = client.post(url, {"refuse-reasons": "不属于本机关职权范围"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and "行政复议" in case.remedy_notice


def test_review_from_supplement_to_delivery(as_user, world):
    w = world
    case = submitted_case(w)
    client = as_user(w.reviewer)

    def act(action, data=None):
        response = client.post(reverse("cases:act", args=[case.number, action]), data or {})
        assert response.status_code == 302, text(response)
        return Case.objects.get(pk=case.pk)

    url = reverse("cases:act", args=[case.number, CaseAction.REQUEST_SUPPLEMENT])
    assert client.post(url, {}).status_code == 400  # nothing named as missing
    assert (
        act(
            CaseAction.REQUEST_SUPPLEMENT,
            {
                "request_supplement-missing_requirements": [w.may_follow.pk],
                "request_supplement-missing_other": "委托书\n授权书",
            },
        ).status
        == CaseStatus.SUPPLEMENT_REQUESTED
    )
    request = case.supplement_requests.get()
    assert request.missing_requirements == [w.may_follow.pk]
    assert request.missing_other == ["委托书", "授权书"]
    services.add_attachment(
        w.applicant,
        case.number,
        upload("b.png", image_bytes()),
        requirement_id=w.may_follow.pk,
    )
    services.resubmit(w.applicant, case.number)
    assert act(CaseAction.ACCEPT).status == CaseStatus.ACCEPTED
    assert act(CaseAction.START_REVIEW).status == CaseStatus.IN_REVIEW
    act(CaseAction.BEGIN_SPECIAL_PROCEDURE, {"begin_special_procedure-procedure": "hearing"})
    assert act(CaseAction.END_SPECIAL_PROCEDURE).status == CaseStatus.IN_REVIEW
    assert act(CaseAction.EXTEND, {"extend-reason": "需要现场核查"}).extended
    page = text(client.get(reverse("cases:staff_case", args=[case.number])))
    assert reverse("cases:act", args=[case.number, CaseAction.EXTEND]) not in page  # once only
    response = client.post(
        reverse("cases:act", args=[case.number, CaseAction.EXTEND]), {"extend-reason": "again"}
    )
    assert response.status_code == 409
    assert act(CaseAction.APPROVE).status == CaseStatus.APPROVED
    url = reverse("cases:act", args=[case.number, CaseAction.DELIVER])
    response = client.post(url, {"deliver-method": "download"})
    assert response.status_code == 400  # no electronic result issued yet
    assert "no issued electronic result" in text(response)
    delivered = act(
        CaseAction.DELIVER, {"deliver-method": "counter", "deliver-zone": w.zones["hk"].pk}
    )
    assert delivered.status == CaseStatus.DELIVERED and delivered.delivery_zone == w.zones["hk"]


def test_denial_with_reasons_and_rights(as_user, world):
    w = world
    case = case_in(w, CaseStatus.IN_REVIEW)
    client = as_user(w.reviewer)
    response = client.post(
        reverse("cases:act", args=[case.number, CaseAction.DENY]),
        {"deny-reasons": "不符合法定条件"},
    )
    assert response.status_code == 302
    page = text(client.get(reverse("cases:staff_case", args=[case.number])))
    assert "不符合法定条件" in page and "行政诉讼" in page


def test_staff_see_files_of_their_cases_only(as_user, world):
    case = submitted_case(world)
    attachment = case.attachments.first()
    url = reverse("cases:staff_attachment", args=[case.number, attachment.pk])
    assert as_user(world.reviewer).get(url).status_code == 200
    assert as_user(world.reviewer_tax).get(url).status_code == 404


# --- Supervision -----------------------------------------------------------------------------


def test_supervision_lists_overdue_cases(as_user, world):
    w = world
    late = case_in(
        w,
        CaseStatus.IN_REVIEW,
        statutory_due=timezone.localdate() - dt.timedelta(days=10),
        deadline_flag=DeadlineFlag.OVERDUE,
    )
    on_time = case_in(w, CaseStatus.IN_REVIEW)
    page = text(as_user(w.supervisor).get(reverse("cases:supervision")))
    assert late.number in page and on_time.number not in page
    assert "working days late" in page or "working day late" in page


def test_supervision_is_for_supervisors(as_user, world):
    assert as_user(world.reviewer).get(reverse("cases:supervision")).status_code == 404
    assert as_user(world.applicant).get(reverse("cases:supervision")).status_code == 404


def test_clerk_of_two_zones_says_which_counter(as_user, world):
    from tongban.accounts import services as accounts
    from tongban.accounts.constants import Role

    w = world
    accounts.assign_role(w.clerk_mo, Role.ZONE_CLERK, zone=w.zones["hk"])
    accounts.forget_cached_roles(w.clerk_mo)
    client = as_user(w.clerk_mo)
    page = text(
        client.post(reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": HKID})
    )
    assert 'name="zone"' in page
    client.post(
        reverse("cases:counter_start"),
        {
            "zone": w.zones["hk"].pk,
            "item": w.item.implementation_code,
            "identity_checked": "on",
            "idempotency_key": "two-zones",
        },
    )
    assert Case.objects.get(applicant_person=w.person).received_at_zone == w.zones["hk"]


def _found_at_counter(client):
    response = client.post(
        reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": "a123456(3)"}
    )
    assert response.status_code == 200
    return response


def test_counter_shows_the_applicants_open_cases_and_warns_before_the_same_service_again(
    as_user, world
):
    w = world
    client = as_user(w.clerk_mo)
    existing = submitted_case(w)
    page = text(_found_at_counter(client))
    assert existing.number in page and "Cases under way for this applicant" in page
    start = {"item": w.item.implementation_code, "identity_checked": "on", "idempotency_key": "d-1"}
    warned = client.post(reverse("cases:counter_start"), start)
    assert warned.status_code == 400
    assert "already has an open case for this service" in text(warned)
    assert existing.number in text(warned)
    assert Case.objects.filter(applicant_person=w.person).count() == 1
    again = client.post(reverse("cases:counter_start"), {**start, "start_again": "on"})
    assert again.status_code == 302
    assert Case.objects.filter(applicant_person=w.person).count() == 2


def test_counter_narrows_the_service_list_by_a_search_without_javascript(as_user, world):
    w = world
    client = as_user(w.clerk_mo)
    _found_at_counter(client)
    everything = text(client.get(reverse("cases:counter")))
    assert w.item.implementation_code in everything and w.tax_item.implementation_code in everything
    narrowed = text(client.get(reverse("cases:counter"), {"service_q": w.tax_item.name_zh_hans}))
    assert f'value="{w.tax_item.implementation_code}"' in narrowed
    nothing = text(client.get(reverse("cases:counter"), {"service_q": "xylophone repair"}))
    assert f'value="{w.item.implementation_code}"' not in nothing
    assert f'value="{w.tax_item.implementation_code}"' not in nothing
    assert "Show every service" in nothing
