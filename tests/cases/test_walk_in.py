"""A walk-in applicant at a zone counter: a receipt with a status code at submission, a
public status page for people without an account, messages that link to it, and claiming the
counter profile after signing up."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentChannel, ConsentPurpose
from tongban.accounts.identifiers import IdentifierKind
from tongban.cases import services
from tongban.cases.constants import LetterKind
from tongban.cases.models import Case
from tongban.cases.notifying import APPLICANT, case_link
from tongban.cases.public_status import PER_CASE, mask_name

from .conftest import pdf_bytes, upload

WALK_IN_HKID = "C6680095"


@pytest.fixture
def walk_in(world):
    """陳大文, registered by the Macau clerk without an account, with a submitted case."""
    w = world
    person = accounts.register_person(
        actor=w.clerk_mo,
        registered_at_zone=w.zones["mo"],
        name_zh="陳大文",
        name_en="Chan Tai Man",
        phone="+85362345678",
        phone_region="MO",
        documents=[(IdentifierKind.HKID, WALK_IN_HKID)],
    )
    accounts.give_consent(
        w.clerk_mo,
        person,
        ConsentPurpose.CASE_PROCESSING,
        language=person.preferred_language,
        channel=ConsentChannel.COUNTER,
    )
    check = services.IdentityCheck(IdentifierKind.HKID, WALK_IN_HKID)
    case = services.start_draft(
        w.clerk_mo,
        w.item.implementation_code,
        applicant=person,
        channel="counter",
        zone=w.zones["mo"],
        identity_check=check,
    )
    for material in w.item.materials.filter(necessity="required"):
        services.add_attachment(
            w.clerk_mo, case.number, upload("id.pdf", pdf_bytes()), requirement_id=material.pk
        )
    case = services.submit(w.clerk_mo, case.number)
    return person, case


def code_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status_code


def test_submission_gives_a_status_code_once(walk_in):
    _person, case = walk_in
    code = code_of(case)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    assert code_of(case) == code  # kept for life, not re-drawn


def test_the_receipt_carries_the_number_and_the_code_but_signs_no_code(walk_in, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.TONGBAN_SIGNING_KEYS = []
    _person, case = walk_in
    case = Case.objects.get(pk=case.pk)
    letter = services.issue_letter_now(case, LetterKind.RECEIPT)
    assert services.issue_letter_now(case, LetterKind.RECEIPT).number == letter.number
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf.read())).pages)
    assert case.number in text and case.status_code in text
    assert case.status_code not in str(letter.payload)  # /verify shows the payload to anyone


def test_the_clerk_prints_the_receipt_from_the_case_page(
    client, world, walk_in, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    settings.TONGBAN_SIGNING_KEYS = []
    _person, case = walk_in
    sign_in_staff(client, world.clerk_mo)
    page = client.get(reverse("cases:staff_case", args=[case.number])).content.decode()
    assert code_of(case) in page and "Print the receipt" in page
    response = client.get(reverse("cases:staff_receipt", args=[case.number]))
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_applicant_of_another_case_cannot_print_this_receipt(client, world, walk_in):
    _person, case = walk_in
    client.force_login(world.applicant)
    assert client.get(reverse("cases:staff_receipt", args=[case.number])).status_code == 404


def test_anyone_with_the_receipt_sees_the_status_masked(client, walk_in):
    _person, case = walk_in
    response = client.post(
        reverse("cases:public_status"), {"number": case.number, "code": code_of(case).lower()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Submitted" in page and "acceptance due by" in page
    assert "陳*文" in page and "陳大文" not in page and "Chan Tai Man" not in page
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, walk_in):
    _person, case = walk_in
    wrong = client.post(
        reverse("cases:public_status"), {"number": case.number, "code": "AAAA-AAAA"}
    )
    unknown = client.post(
        reverse("cases:public_status"), {"number": "JM-1999-000001", "code": code_of(case)}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert (
        "No case matches" in wrong.content.decode()
        and "No case matches" in unknown.content.decode()
    )
    assert "Submitted" not in wrong.content.decode()


def test_guessing_codes_for_one_case_is_stopped(client, walk_in):
    _person, case = walk_in
    answers = [
        client.post(reverse("cases:public_status"), {"number": case.number, "code": f"AAAA-AAA{n}"})
        for n in range(PER_CASE + 1)
    ]
    assert answers[-1].status_code == 429 and "Retry-After" in answers[-1]
    right = client.post(
        reverse("cases:public_status"), {"number": case.number, "code": code_of(case)}
    )
    assert right.status_code == 429  # even the right code waits: no oracle while limited


def test_messages_to_a_person_without_an_account_link_to_the_status_page(walk_in, world):
    _person, case = walk_in
    assert case_link(case, APPLICANT) == f"/status/?number={case.number}"
    own = services.start_draft(world.applicant, world.item.implementation_code)
    assert case_link(own, APPLICANT) == reverse("cases:case", args=[own.number])


def test_a_walk_in_who_signs_up_claims_the_counter_profile_and_its_cases(client, walk_in):
    person, case = walk_in
    user = get_user_model().objects.create_user(
        email="chan@example.net", password="a long enough password"
    )
    client.force_login(user)
    wrong = client.post(reverse("cases:claim"), {"number": case.number, "code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and accounts.person_for(user) is None
    response = client.post(reverse("cases:claim"), {"number": case.number, "code": code_of(case)})
    assert response.status_code == 302
    assert accounts.person_for(user).pk == person.pk
    assert case.number in client.get(reverse("cases:mine")).content.decode()
    assert case_link(Case.objects.get(pk=case.pk), APPLICANT) == reverse(
        "cases:case", args=[case.number]
    )


def test_an_account_with_a_profile_cannot_take_over_a_counter_profile(client, world, walk_in):
    person, case = walk_in
    client.force_login(world.applicant)
    response = client.post(reverse("cases:claim"), {"number": case.number, "code": code_of(case)})
    assert response.status_code == 400 and "already has a profile" in response.content.decode()
    person.refresh_from_db()
    assert person.user_id is None


def test_names_are_masked_for_recognition_not_identification():
    assert mask_name("陳大文") == "陳*文"
    assert mask_name("李明") == "李*明"
    assert mask_name("Chan Tai Man") == "C*** T** M**"
