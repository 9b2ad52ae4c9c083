import hashlib
import json
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from tongban.accounts import services
from tongban.accounts.constants import ConsentPurpose, DataRequestKind, DataRequestStatus
from tongban.accounts.models import CrossBorderConsent, DataRequest

from .conftest import HKID

PURPOSE = ConsentPurpose.CASE_PROCESSING


@pytest.mark.django_db
class TestConsent:
    def test_no_consent_until_given(self, applicant):
        assert not services.has_consent(applicant, PURPOSE)
        with pytest.raises(services.ConsentMissing):
            services.require_consent(applicant, PURPOSE)

    def test_keeps_the_exact_text_shown_in_its_language(self, applicant):
        consent = services.give_consent(applicant.user, applicant, PURPOSE, language="en")
        text, recipient, version = services.consent_text(PURPOSE, "en")
        assert consent.text_shown == text
        assert consent.recipient == recipient
        assert consent.text_version == version == services.CONSENT_TEXT_VERSION
        assert consent.text_language == "en"
        assert "mainland" in consent.text_shown and "withdraw" in consent.text_shown
        services.require_consent(applicant, PURPOSE)

    def test_giving_twice_keeps_one_current_consent(self, applicant):
        first = services.give_consent(applicant.user, applicant, PURPOSE, language="en")
        second = services.give_consent(applicant.user, applicant, PURPOSE, language="en")
        assert first == second
        assert CrossBorderConsent.objects.count() == 1

    def test_withdrawal_ends_it_and_keeps_the_record(self, applicant):
        services.give_consent(applicant.user, applicant, PURPOSE, language="zh-hant")
        withdrawn = services.withdraw_consent(applicant.user, applicant, PURPOSE)
        assert withdrawn.withdrawn_at is not None
        assert not services.has_consent(applicant, PURPOSE)
        again = services.give_consent(applicant.user, applicant, PURPOSE, language="zh-hant")
        assert again.pk != withdrawn.pk
        assert CrossBorderConsent.objects.filter(person=applicant).count() == 2

    def test_a_changed_text_must_be_read_again(self, applicant):
        with pytest.raises(ValidationError):
            services.give_consent(
                applicant.user, applicant, PURPOSE, language="en", text_version="2020-01"
            )
        assert not CrossBorderConsent.objects.exists()

    def test_nobody_consents_for_someone_else(self, applicant, make_applicant, clerk_macau):
        other = make_applicant("other@example.com")
        for actor in (other.user, clerk_macau):
            with pytest.raises(PermissionDenied):
                services.give_consent(actor, applicant, PURPOSE, language="en")


@pytest.mark.django_db
class TestMyData:
    def test_export_holds_everything_in_a_zip(self, applicant):
        services.give_consent(applicant.user, applicant, PURPOSE, language="en")
        with services.export_personal_data(applicant.user, applicant) as archive:
            data = read_sections(archive)
        assert data["profile"]["person"]["name_zh"] == "陳大文"
        assert data["profile"]["account"]["email"] == "chan@example.com"
        assert HKID in {d["number"] for d in data["identity_documents"]}
        assert data["cross_border_consents"][0]["text_shown"]
        assert DataRequest.objects.get().kind == DataRequestKind.EXPORT

    def test_nobody_exports_someone_else(self, applicant, make_applicant):
        other = make_applicant("other@example.com")
        with pytest.raises(PermissionDenied):
            services.export_personal_data(other.user, applicant)


def read_sections(archive) -> dict:
    """The JSON sections of an archive by name, after checking every file's hash."""
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(opened.read(entry["path"])).hexdigest() == entry["sha256"]
        return {s["name"]: json.loads(opened.read(s["path"])) for s in manifest["sections"]}


@pytest.mark.django_db
class TestDeletion:
    def test_deletion_request_is_recorded_once(self, applicant):
        first = services.request_deletion(applicant.user, applicant, "moving away")
        second = services.request_deletion(applicant.user, applicant)
        assert first == second
        assert first.status == DataRequestStatus.REQUESTED

    def test_overlong_reason_is_refused(self, applicant):
        with pytest.raises(ValidationError):
            services.request_deletion(applicant.user, applicant, "x" * 10_000)
        assert not DataRequest.objects.exists()


@pytest.mark.django_db
def test_demo_people(zones, departments):
    from tongban.accounts.identifiers import IdentifierKind, validate
    from tongban.accounts.models import IdentityDocument, StaffAssignment

    summary = services.create_demo_people("demo password 123")
    again = services.create_demo_people("demo password 123")
    assert summary == again  # safe to run twice
    for document in IdentityDocument.objects.all():
        assert validate(document.kind, document.number) == document.number
    assert IdentityDocument.objects.filter(kind=IdentifierKind.MACAU_BIR).exists()
    assert IdentityDocument.objects.filter(kind=IdentifierKind.MAINLAND_TRAVEL_PERMIT).exists()
    clerk_zones = set(
        StaffAssignment.objects.filter(role="zone_clerk").values_list("zone__code", flat=True)
    )
    assert clerk_zones == {zone.code for zone in zones.values()}
    director = get_user_model().objects.get(email=summary["residents"][1])
    [(company, _authorisations)] = services.companies_of(services.person_for(director))
    assert company.name_en == summary["company"]
    # demo staff can sign in: their TOTP secret is the one the summary gives
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    clerk = get_user_model().objects.get(email=summary["staff"][0])
    [authenticator] = Authenticator.objects.filter(user=clerk, type="totp")
    secret = summary["staff_totp_secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert TOTP(authenticator).validate_code(code)


@pytest.mark.django_db
def test_deletion_is_carried_out_by_an_administrator(applicant, make_user):
    from django.contrib.auth import authenticate
    from django.core.exceptions import PermissionDenied

    from tongban.accounts.constants import Role
    from tongban.accounts.models import IdentityDocument

    services.give_consent(applicant.user, applicant, PURPOSE, language="en")
    request = services.request_deletion(applicant.user, applicant, "moving away")
    with pytest.raises(PermissionDenied):
        services.carry_out_deletion(applicant.user, request)
    admin = make_user("admin@example.com", Role.ADMINISTRATOR)
    user = applicant.user
    done = services.carry_out_deletion(admin, request)
    assert done.status == DataRequestStatus.COMPLETED
    applicant.refresh_from_db()
    user.refresh_from_db()
    assert not IdentityDocument.objects.filter(person=applicant).exists()
    assert applicant.name_zh == "" and "陳" not in applicant.name_en and applicant.phone == ""
    assert applicant.user is None
    assert not user.is_active and user.email != "chan@example.com"
    assert authenticate(email="chan@example.com", password="correct horse battery") is None
    assert not services.has_consent(applicant, PURPOSE)
    with pytest.raises(ValidationError):
        services.carry_out_deletion(admin, request)  # done once only
