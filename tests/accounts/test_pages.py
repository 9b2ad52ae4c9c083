import io
import json
import time
import zipfile

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services
from tongban.accounts.constants import CompanyIdentifierKind, ConsentPurpose, Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import CrossBorderConsent, DataRequest, IdentityDocument, Person

from .conftest import HKID, HMT_PERMIT, PASSWORD

PROFILE = {
    "name_zh": "陳大文",
    "name_en": "CHAN Tai Man",
    "phone_region": "HK",
    "phone": "9123 4567",
    "preferred_language": "zh-hant",
    "address_region": "HK",
    "address_lines": "香港九龍彌敦道 123 號",
    "document_kind": IdentifierKind.HKID,
    "document_number": "a123456 (3)",
    "second_document_kind": IdentifierKind.MAINLAND_TRAVEL_PERMIT,
    "second_document_number": HMT_PERMIT,
}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def signed_in(client, make_user):
    user = make_user("new@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant.user)
    return client


def with_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.django_db
class TestProfile:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_new_account_creates_profile_with_hkid_and_travel_permit(self, client, signed_in):
        assert "document_number" in text(client.get(reverse("accounts:profile")))
        response = client.post(reverse("accounts:profile"), PROFILE)
        assert response.status_code == 302
        person = Person.objects.get(user=signed_in)
        assert {d.kind for d in person.documents.all()} == {
            IdentifierKind.HKID,
            IdentifierKind.MAINLAND_TRAVEL_PERMIT,
        }
        page = text(client.get(reverse("accounts:profile")))
        assert "A123456(3)" in page  # the holder sees their own number
        assert "+85291234567" in page

    def test_mistyped_hkid_explains_and_saves_nothing(self, client, signed_in):
        response = client.post(
            reverse("accounts:profile"), {**PROFILE, "document_number": "A123456(4)"}
        )
        assert response.status_code == 400
        assert "should be 3" in text(response)
        assert not Person.objects.exists()

    def test_document_of_another_account_points_to_recovery(self, client, applicant, signed_in):
        response = client.post(reverse("accounts:profile"), PROFILE)
        assert response.status_code == 400
        assert "Forgot your password?" in text(response)
        assert not Person.objects.filter(user=signed_in).exists()

    def test_phone_for_the_wrong_region(self, client, signed_in):
        response = client.post(reverse("accounts:profile"), {**PROFILE, "phone_region": "MO"})
        assert response.status_code == 400
        assert "+853" in text(response)
        assert not Person.objects.exists()

    def test_ten_thousand_character_name(self, client, signed_in):
        response = client.post(reverse("accounts:profile"), {**PROFILE, "name_en": "x" * 10_000})
        assert response.status_code == 400
        assert not Person.objects.exists()

    def test_script_in_every_field_is_shown_escaped(self, client, signed_in):
        script = "<script>alert('x')</script>"
        data = {**PROFILE, "name_zh": script, "name_en": script, "address_lines": script}
        assert client.post(reverse("accounts:profile"), data).status_code == 302
        page = text(client.get(reverse("accounts:profile")))
        assert script not in page
        assert "&lt;script&gt;" in page

    def test_edit_profile(self, applicant_client, applicant):
        response = applicant_client.post(
            reverse("accounts:edit_profile"),
            {
                "name_en": "CHAN Tai-man",
                "phone_region": "MO",
                "phone": "6612 3456",
                "preferred_language": "en",
            },
        )
        assert response.status_code == 302
        applicant.refresh_from_db()
        assert applicant.name_en == "CHAN Tai-man"
        assert applicant.phone == "+85366123456"

    def test_add_and_remove_a_document(self, applicant_client, applicant):
        response = applicant_client.post(
            reverse("accounts:add_document"),
            {"kind": IdentifierKind.PASSPORT, "number": "K12345678"},
        )
        assert response.status_code == 302
        passport = applicant.documents.get(kind=IdentifierKind.PASSPORT)
        response = applicant_client.post(reverse("accounts:remove_document", args=[passport.pk]))
        assert response.status_code == 302
        assert not applicant.documents.filter(kind=IdentifierKind.PASSPORT).exists()

    def test_invalid_document_on_add_is_explained(self, applicant_client):
        response = applicant_client.post(
            reverse("accounts:add_document"), {"kind": IdentifierKind.MACAU_BIR, "number": "12"}
        )
        assert response.status_code == 400
        assert "8 digits" in text(response)

    def test_removing_someone_elses_document_is_not_found(self, client, applicant, make_applicant):
        other = make_applicant("other@example.com")
        client.force_login(other.user)
        document = applicant.documents.first()
        response = client.post(reverse("accounts:remove_document", args=[document.pk]))
        assert response.status_code == 404
        assert IdentityDocument.objects.filter(pk=document.pk).exists()

    def test_forms_need_csrf(self, applicant):
        client = Client(enforce_csrf_checks=True)
        client.force_login(applicant.user)
        response = client.post(
            reverse("accounts:add_document"), {"kind": "passport", "number": "K12345678"}
        )
        assert response.status_code == 403


@pytest.mark.django_db
class TestCompaniesPages:
    def test_register_a_company_and_authorise_a_colleague(
        self, applicant_client, applicant, make_applicant
    ):
        colleague = make_applicant(
            "colleague@example.com", documents=[(IdentifierKind.HKID, "CA182361(1)")]
        )
        response = applicant_client.post(
            reverse("accounts:companies"),
            {
                "name_en": "Bright Star Trading Limited",
                "identifier_kind": CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
                "identifier": "12345678",
                "legal_representative": "CHAN Tai Man",
            },
        )
        assert response.status_code == 302
        company_url = response["Location"]
        page = text(applicant_client.get(company_url))
        assert "Bright Star Trading Limited" in page
        assert "12345678" not in page  # shown masked
        response = applicant_client.post(
            company_url,
            {"kind": IdentifierKind.HKID, "number": "CA182361(1)", "scopes": ["apply"]},
        )
        assert response.status_code == 302
        assert services.companies_of(colleague)

    def test_authorising_an_unknown_document_says_so(self, applicant_client, applicant):
        company = services.create_company(
            applicant.user,
            identifier_kind="hk-br",
            identifier="12345678",
            name_en="X Ltd",
            authorise_person=applicant,
        )
        response = applicant_client.post(
            reverse("accounts:company", args=[company.pk]),
            {"kind": IdentifierKind.HKID, "number": "CA182361(1)", "scopes": ["apply"]},
        )
        assert response.status_code == 400
        assert "Nobody has registered" in text(response)

    def test_another_companys_page_is_not_found(self, client, applicant, make_applicant):
        company = services.create_company(
            applicant.user,
            identifier_kind="hk-br",
            identifier="12345678",
            name_en="Mine Ltd",
            authorise_person=applicant,
        )
        other = make_applicant("other@example.com")
        client.force_login(other.user)
        assert client.get(reverse("accounts:company", args=[company.pk])).status_code == 404
        assert client.get(reverse("accounts:company", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestConsentAndDataPages:
    def test_give_and_withdraw_consent_with_the_text_shown(self, applicant_client, applicant):
        page = text(applicant_client.get(reverse("accounts:consent"), HTTP_ACCEPT_LANGUAGE="en"))
        expected, _, version = services.consent_text(ConsentPurpose.CASE_PROCESSING, "en")
        assert expected.split(",")[0] in page
        response = applicant_client.post(
            reverse("accounts:consent"),
            {"purpose": ConsentPurpose.CASE_PROCESSING, "text_version": version, "language": "en"},
        )
        assert response.status_code == 302
        consent = CrossBorderConsent.objects.get()
        assert consent.text_shown == expected
        applicant_client.post(
            reverse("accounts:withdraw_consent"), {"purpose": ConsentPurpose.CASE_PROCESSING}
        )
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None

    def test_download_my_data_asks_for_the_password_then_sends_a_zip(self, applicant_client):
        url = reverse("accounts:download_my_data")
        assert applicant_client.get(url).status_code == 405
        response = applicant_client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert not DataRequest.objects.exists()  # nothing exported before the password
        response = applicant_client.post(response["Location"], {"password": PASSWORD})
        assert response["Content-Type"] == "application/zip"
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            documents = json.loads(archive.read("data/identity_documents.json"))
        assert "data/profile.json" in {entry["path"] for entry in manifest["files"]}
        assert HKID in {d["number"] for d in documents}
        # Recently re-authenticated: a second download needs no password.
        again = applicant_client.post(url)
        assert again["Content-Type"] == "application/zip"
        again.close()

    def test_deletion_request_needs_confirmation(self, applicant_client, applicant):
        response = applicant_client.post(reverse("accounts:request_deletion"), {"reason": "x"})
        assert response.status_code == 400
        assert not DataRequest.objects.exists()
        response = applicant_client.post(
            reverse("accounts:request_deletion"), {"reason": "moving", "confirm": "on"}
        )
        assert response.status_code == 302
        assert DataRequest.objects.get().kind == "deletion"
        assert "deletion requested" in text(applicant_client.get(reverse("accounts:profile")))


@pytest.mark.django_db
class TestStaffPages:
    def test_applicants_cannot_open_the_lookup(self, applicant_client):
        assert applicant_client.get(reverse("accounts:find_person")).status_code == 403

    def test_applicants_cannot_open_a_person_by_id(self, client, applicant, make_applicant):
        other = make_applicant("other@example.com")
        client.force_login(other.user)
        response = client.get(reverse("accounts:staff_person", args=[applicant.pk]))
        assert response.status_code == 404
        assert "陳大文" not in text(response)

    def test_clerk_without_mfa_is_sent_to_set_it_up(self, client, clerk_macau):
        client.force_login(clerk_macau)
        response = client.get(reverse("accounts:find_person"))
        assert response.status_code == 302
        assert "/2fa/" in response["Location"] or "totp" in response["Location"]

    def test_macau_clerk_signed_in_with_mfa_finds_a_resident_masked(
        self, client, applicant, clerk_macau
    ):
        """The issue's "done when": a Macau clerk signed in with MFA looks a resident up by
        document number and sees the number masked."""
        cache.clear()
        secret = with_totp(clerk_macau)
        response = client.post(
            reverse("account_login"), {"login": clerk_macau.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302
        response = client.post(
            reverse("accounts:find_person"), {"kind": IdentifierKind.HKID, "number": "A1234563"}
        )
        page = text(response)
        assert response.status_code == 200
        assert "陳大文" in page
        assert "A12****(3)" in page
        assert "A123456(3)" not in page and "A1234563" not in page
        assert HMT_PERMIT not in page

    def test_clerk_lookup_of_an_unknown_or_invalid_number(self, client, applicant, clerk_macau):
        with_totp(clerk_macau)
        sign_in_staff(client, clerk_macau)
        response = client.post(
            reverse("accounts:find_person"), {"kind": IdentifierKind.HKID, "number": "B1234566"}
        )
        assert "Nobody is registered" in text(response)
        response = client.post(
            reverse("accounts:find_person"), {"kind": IdentifierKind.HKID, "number": "A123456(4)"}
        )
        assert response.status_code == 400
        assert "should be 3" in text(response)

    def test_clerk_opens_persons_of_their_zone_only(self, client, applicant, make_user, zones):
        clerk = make_user("clerk.hk@example.com", Role.ZONE_CLERK, zone=zones["hk"])
        walk_in = services.register_person(
            actor=clerk,
            registered_at_zone=zones["hk"],
            name_zh="黃小明",
            documents=[(IdentifierKind.HKID, "CA182361(1)")],
        )
        with_totp(clerk)
        sign_in_staff(client, clerk)
        page = text(client.get(reverse("accounts:staff_person", args=[walk_in.pk])))
        assert "CA1*****(1)" in page
        assert "CA182361(1)" not in page
        # an applicant who signed up online is reached by their document, not by walking ids
        response = client.get(reverse("accounts:staff_person", args=[applicant.pk]))
        assert response.status_code == 404
        assert "陳大文" not in text(response)


@pytest.mark.django_db
class TestCounter:
    def test_clerk_registers_a_walk_in_and_records_their_consent(self, client, clerk_macau, zones):
        with_totp(clerk_macau)
        sign_in_staff(client, clerk_macau)
        page = text(client.get(reverse("accounts:register_at_counter")))
        assert zones["mo"].name_zh_hans in page
        assert zones["hk"].name_zh_hans not in page  # only the clerk's own zone
        data = {
            **PROFILE,
            "phone_region": "MO",
            "phone": "6612 3456",
            "zone": zones["mo"].pk,
            "document_kind": IdentifierKind.MACAU_BIR,
            "document_number": "1234567(8)",
            "second_document_kind": "",
            "second_document_number": "",
        }
        response = client.post(reverse("accounts:register_at_counter"), data)
        assert response.status_code == 302
        person = Person.objects.get(registered_at_zone=zones["mo"])
        assert person.user is None
        page = text(client.get(response["Location"]))
        assert "12*****(8)" in page
        assert "1234567(8)" not in page
        _, _, version = services.consent_text(ConsentPurpose.CASE_PROCESSING, "zh-hant")
        response = client.post(
            reverse("accounts:record_consent", args=[person.pk]),
            {
                "purpose": ConsentPurpose.CASE_PROCESSING,
                "text_version": version,
                "language": "zh-hant",
            },
        )
        consent = CrossBorderConsent.objects.get(person=person)
        assert consent.channel == "counter"
        assert consent.recorded_by == clerk_macau

    def test_clerk_cannot_register_at_another_zone(self, client, clerk_macau, zones):
        with_totp(clerk_macau)
        sign_in_staff(client, clerk_macau)
        data = {**PROFILE, "zone": zones["hk"].pk, "document_number": "A123456(3)"}
        response = client.post(reverse("accounts:register_at_counter"), data)
        assert response.status_code == 400
        assert not Person.objects.exists()

    def test_clerk_cannot_record_consent_for_an_online_applicant(
        self, client, clerk_macau, applicant
    ):
        with_totp(clerk_macau)
        sign_in_staff(client, clerk_macau)
        page = text(client.get(reverse("accounts:staff_person", args=[applicant.pk])))
        assert "has signed this consent" not in page
        _, _, version = services.consent_text(ConsentPurpose.CASE_PROCESSING, "en")
        client.post(
            reverse("accounts:record_consent", args=[applicant.pk]),
            {"purpose": ConsentPurpose.CASE_PROCESSING, "text_version": version, "language": "en"},
        )
        assert not CrossBorderConsent.objects.exists()
