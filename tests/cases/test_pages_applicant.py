"""The applicant's pages: apply from the item page, the draft's steps, my cases, the case page,
supplements, withdrawing, downloads — and nobody else's case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.catalog.factories import make_item
from tongban.accounts import services as accounts
from tongban.accounts.constants import CompanyIdentifierKind, ConsentPurpose
from tongban.cases import services
from tongban.cases.constants import CaseStatus, LetterKind
from tongban.cases.models import Case

from .conftest import case_in, draft_for, image_bytes, pdf_bytes, submitted_case, upload


def text(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read English


@pytest.fixture
def applicant_client(client, world):
    client.force_login(world.applicant)
    return client


def test_item_page_offers_apply_online(client, world):
    page = text(client.get(reverse("catalog:item", args=[world.item.implementation_code])))
    assert reverse("cases:start", args=[world.item.implementation_code]) in page


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("cases:start", args=[world.item.implementation_code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_apply_online_through_every_step(applicant_client, world):
    w, client = world, applicant_client
    start_url = reverse("cases:start", args=[w.item.implementation_code])
    page = text(client.get(start_url))
    assert 'name="idempotency_key"' in page
    response = client.post(start_url, {"idempotency_key": "start-key-1"})
    case = Case.objects.get(applicant_person=w.person)
    assert response["Location"] == reverse("cases:edit", args=[case.number])
    # A double click on "start" gives the same draft.
    client.post(start_url, {"idempotency_key": "start-key-1"})
    assert Case.objects.filter(applicant_person=w.person).count() == 1

    response = client.post(
        reverse("cases:edit", args=[case.number]),
        {"details": "为深圳银行贷款开具证明", "contact_preference": "sms", "then": "stay"},
    )
    assert response.status_code == 302
    page = text(client.get(reverse("cases:edit", args=[case.number])))
    assert "为深圳银行贷款开具证明" in page  # the draft resumes

    materials_url = reverse("cases:materials", args=[case.number])
    response = client.post(
        materials_url, {"requirement": w.required.pk, "file": upload("id.png", image_bytes())}
    )
    assert response.status_code == 302
    page = text(client.get(materials_url))
    assert "id.png" in page

    review_url = reverse("cases:review", args=[case.number])
    key = text(client.get(review_url)).split('name="idempotency_key" value="')[1].split('"')[0]
    response = client.post(review_url, {"idempotency_key": key})
    assert response["Location"] == reverse("cases:case", args=[case.number])
    response = client.post(review_url, {"idempotency_key": key})  # the double click
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.events.filter(action="submit").count() == 1


def test_wrong_file_is_refused_with_a_message_and_nothing_stored(applicant_client, world):
    case = draft_for(world)
    response = applicant_client.post(
        reverse("cases:materials", args=[case.number]),
        {"requirement": world.required.pk, "file": upload("notes.png", b"just text, not an image")},
    )
    assert response.status_code == 400
    assert "error-summary" in text(response)
    assert not case.attachments.exists()


def test_submit_without_required_material_names_it(applicant_client, world):
    case = draft_for(world)
    response = applicant_client.post(
        reverse("cases:review", args=[case.number]), {"idempotency_key": "k-1"}
    )
    assert response.status_code == 400
    assert world.required.name in text(response)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT


def test_consent_step_shows_the_exact_text_and_records_consent(applicant_client, world):
    w = world
    accounts.withdraw_consent(w.applicant, w.person, ConsentPurpose.CASE_PROCESSING)
    case = draft_for(w)
    url = reverse("cases:consent", args=[case.number])
    page = text(applicant_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    consent_text, _recipient, version = accounts.consent_text(ConsentPurpose.CASE_PROCESSING, "en")
    assert consent_text in page.replace("&#x27;", "'")
    response = applicant_client.post(url, {"text_version": version, "agree": "on"})
    assert response["Location"] == reverse("cases:review", args=[case.number])
    assert accounts.has_consent(w.person)


def test_my_cases_lists_own_cases_only_with_keyset_pages(applicant_client, world):
    w = world
    mine = [draft_for(w) for _ in range(3)]
    other = draft_for(w, actor=w.other_applicant)
    page = text(applicant_client.get(reverse("cases:mine")))
    assert all(case.number in page for case in mine)
    assert other.number not in page
    page = text(applicant_client.get(reverse("cases:mine"), {"after": mine[1].pk}))
    assert mine[0].number in page and mine[2].number not in page


def test_another_applicants_case_is_not_found(applicant_client, world):
    other = draft_of_other_applicant(world)
    for name in ("case", "materials", "review", "edit", "consent"):
        assert (
            applicant_client.get(reverse(f"cases:{name}", args=[other.number])).status_code == 404
        )
    response = applicant_client.post(reverse("cases:withdraw", args=[other.number]))
    assert response.status_code == 404
    assert Case.objects.get(pk=other.pk).status == CaseStatus.DRAFT


def draft_of_other_applicant(w):
    return draft_for(w, actor=w.other_applicant)


def test_supplement_upload_and_hand_in(applicant_client, world):
    w = world
    case = submitted_case(w)
    services.request_supplement(
        w.reviewer, case.number, missing_requirements=[w.may_follow.pk], note="请补交"
    )
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert w.may_follow.name in page and "请补交" in page
    # Handing in before uploading names what is still missing, and changes nothing.
    response = applicant_client.post(reverse("cases:resubmit", args=[case.number]))
    assert response.status_code == 400 and w.may_follow.name in text(response)
    applicant_client.post(
        reverse("cases:materials", args=[case.number]),
        {"requirement": w.may_follow.pk, "file": upload("licence.pdf", pdf_bytes())},
    )
    response = applicant_client.post(reverse("cases:resubmit", args=[case.number]))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_withdraw_before_decision_and_not_after(applicant_client, world):
    w = world
    case = submitted_case(w)
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert reverse("cases:withdraw", args=[case.number]) in page
    response = applicant_client.post(reverse("cases:withdraw", args=[case.number]))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN
    # Forced again: a clear message, no 500.
    response = applicant_client.post(reverse("cases:withdraw", args=[case.number]))
    assert response.status_code == 409
    assert "Withdrawn" in text(response)


def test_case_page_shows_due_dates_in_working_days_and_letters(
    applicant_client, world, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    settings.TONGBAN_SIGNING_KEYS = []
    w = world
    case = services.accept(w.reviewer, submitted_case(w).number)
    letter = services.issue_letter_now(case, LetterKind.ACCEPTANCE)
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert "working days left" in page
    assert letter.number in page
    response = applicant_client.get(reverse("cases:letter", args=[case.number, letter.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    attachment = case.attachments.first()
    response = applicant_client.get(reverse("cases:attachment", args=[case.number, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_other_applicant_cannot_download_files(client, world):
    w = world
    case = submitted_case(w)
    client.force_login(w.other_applicant)
    attachment = case.attachments.first()
    response = client.get(reverse("cases:attachment", args=[case.number, attachment.pk]))
    assert response.status_code == 404


def test_upload_is_csrf_protected_with_the_size_limit_in_place(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    case = draft_for(world)
    url = reverse("cases:materials", args=[case.number])
    data = {"requirement": world.required.pk, "file": upload("a.png", image_bytes())}
    assert client.post(url, data).status_code == 403
    assert not case.attachments.exists()
    client.get(url)
    token = client.cookies["csrftoken"].value
    data = {**data, "file": upload("a.png", image_bytes()), "csrfmiddlewaretoken": token}
    assert client.post(url, data).status_code == 302
    assert case.attachments.count() == 1


def test_a_submitted_case_shows_its_acceptance_clock_and_what_happens_next(applicant_client, world):
    case = submitted_case(world)
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert "Acceptance due by" in page and "What happens next" in page
    assert "Promised decision by" not in page


def test_a_decided_case_shows_its_decision_date_and_no_promise(applicant_client, world):
    case = case_in(world, CaseStatus.APPROVED, decided_at=timezone.now())
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert "Decided" in page and "Result handed over by" in page
    assert "Promised decision by" not in page and "working days left" in page  # the hand-over clock
    closed = case_in(world, CaseStatus.CLOSED, decided_at=timezone.now(), closed_at=timezone.now())
    page = text(applicant_client.get(reverse("cases:case", args=[closed.number])))
    assert "Promised decision by" not in page and "working days left" not in page


def test_an_overdue_case_reads_overdue_to_the_applicant(applicant_client, world):
    today = timezone.localdate()
    case = case_in(
        world,
        CaseStatus.IN_REVIEW,
        promised_due=today - dt.timedelta(days=10),
        statutory_due=today - dt.timedelta(days=3),
    )
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert "overdue" in page and "the department is late" in page
    listing = text(applicant_client.get(reverse("cases:mine")))
    assert "overdue" in listing


def test_a_paused_case_is_never_due_soon(applicant_client, world):
    today = timezone.localdate()
    case = case_in(world, CaseStatus.SPECIAL_PROCEDURE, promised_due=today + dt.timedelta(days=1))
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    assert "paused" in page and "due soon" not in page


def test_a_company_item_lets_the_applicant_register_a_company_and_come_back(
    applicant_client, world
):
    item = make_item(world.housing, materials=0, for_persons=False, for_companies=True)
    apply_url = reverse("cases:start", args=[item.implementation_code])
    page = text(applicant_client.get(apply_url))
    assert "You do not act for any company yet." in page
    assert "Register your company, then come back to this application" in page
    registered = applicant_client.post(
        reverse("accounts:companies") + f"?next={apply_url}",
        {
            "next": apply_url,
            "name_en": "Bright Star Trading Limited",
            "identifier_kind": CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
            "identifier": "12345678",
            "legal_representative": "CHAN Tai Man",
        },
    )
    assert registered.status_code == 302 and registered["Location"] == apply_url
    page = text(applicant_client.get(apply_url))
    assert "Bright Star Trading Limited" in page


def test_registering_a_company_never_sends_the_browser_to_another_site(applicant_client, world):
    response = applicant_client.post(
        reverse("accounts:companies"),
        {
            "next": "https://evil.example/",
            "name_en": "Bright Star Trading Limited",
            "identifier_kind": CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
            "identifier": "12345678",
            "legal_representative": "CHAN Tai Man",
        },
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_overdue_mark_stands_beside_the_date_that_was_missed(applicant_client, world):
    today = timezone.localdate()
    case = case_in(
        world,
        CaseStatus.IN_REVIEW,
        promised_due=today - dt.timedelta(days=10),
        statutory_due=today + dt.timedelta(days=30),
    )
    page = text(applicant_client.get(reverse("cases:case", args=[case.number])))
    promised = page.split("Promised decision by")[1].split("</dd>")[0]
    statutory = page.split("Statutory decision by")[1].split("</dd>")[0]
    assert "overdue" in promised and "late" in promised
    assert "overdue" not in statutory and "left" in statutory
