import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongban.accounts import services
from tongban.accounts.constants import AuthorisationScope, CompanyIdentifierKind, Region
from tongban.accounts.errors import DuplicateDocument
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import Company, IdentityDocument, Person

from .conftest import HKID, HMT_PERMIT


def messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@pytest.mark.django_db
class TestRegisterPerson:
    def test_registers_with_normalised_documents_and_phone(self, applicant):
        assert applicant.phone == "+85291234567"
        documents = {d.kind: d for d in applicant.documents.all()}
        assert documents[IdentifierKind.HKID].number == "A123456(3)"
        assert documents[IdentifierKind.HKID].number_masked == "A12****(3)"
        assert documents[IdentifierKind.MAINLAND_TRAVEL_PERMIT].number == HMT_PERMIT

    def test_formatting_variants_are_the_same_document(self, applicant, make_user):
        other = make_user("other@example.com")
        with pytest.raises(DuplicateDocument):
            services.register_person(
                user=other, name_en="Someone", documents=[(IdentifierKind.HKID, "a 123456 3")]
            )

    def test_same_hkid_on_a_second_account_is_refused_with_a_way_back(self, applicant, make_user):
        other = make_user("second@example.com")
        with pytest.raises(DuplicateDocument) as caught:
            services.register_person(
                user=other, name_en="Chan", documents=[(IdentifierKind.HKID, HKID)]
            )
        text = messages(caught.value)
        assert "already registered" in text
        assert "Forgot your password?" in text
        assert "counter" in text
        # nothing half-written: the second person was rolled back
        assert not Person.objects.filter(user=other).exists()

    def test_renewed_travel_permit_is_the_same_person(self, applicant, make_user):
        other = make_user("renewed@example.com")
        with pytest.raises(DuplicateDocument):
            services.register_person(
                user=other,
                name_en="Chan",
                documents=[(IdentifierKind.MAINLAND_TRAVEL_PERMIT, HMT_PERMIT + "02")],
            )

    def test_adding_own_document_twice_says_so(self, applicant):
        with pytest.raises(DuplicateDocument) as caught:
            services.add_document(applicant.user, applicant, IdentifierKind.HKID, HKID)
        assert "already added" in messages(caught.value)

    @pytest.mark.parametrize(
        "kind, number, expected",
        [
            (IdentifierKind.HKID, "A123456(4)", "should be 3"),
            (IdentifierKind.HKID, "", "Enter the number"),
            (IdentifierKind.MACAU_BIR, "2234567(8)", "starts with 1, 5 or 7"),
            (IdentifierKind.MAINLAND_TRAVEL_PERMIT, "X12345678", "starts with H"),
            ("uscc", "91440700MA4UL0Q01X", "kind of document"),
            ("nonsense", "123", "kind of document"),
        ],
    )
    def test_invalid_documents_are_refused_precisely(self, applicant, kind, number, expected):
        before = IdentityDocument.objects.count()
        with pytest.raises(ValidationError) as caught:
            services.add_document(applicant.user, applicant, kind, number)
        assert expected in messages(caught.value)
        assert IdentityDocument.objects.count() == before

    def test_phone_of_the_wrong_region_is_refused(self, make_user):
        user = make_user("macau@example.com")
        with pytest.raises(ValidationError) as caught:
            services.register_person(
                user=user, name_en="Lei", phone="+85291234567", phone_region=Region.MACAU
            )
        assert "+853" in messages(caught.value)
        with pytest.raises(ValidationError):
            services.register_person(
                user=user, name_en="Lei", phone="1234", phone_region=Region.MACAU
            )
        assert not Person.objects.filter(user=user).exists()

    @pytest.mark.parametrize("region, raw", [("MO", "6612 3456"), ("CN", "138 0013 8000")])
    def test_phone_of_each_region(self, region, raw):
        assert services.normalise_phone(raw, region).startswith({"MO": "+853", "CN": "+86"}[region])

    def test_ten_thousand_character_name_is_refused(self, make_user):
        user = make_user("long@example.com")
        with pytest.raises(ValidationError) as caught:
            services.register_person(user=user, name_en="x" * 10_000)
        assert "name_en" in caught.value.message_dict
        assert not Person.objects.exists()

    def test_html_is_kept_as_text(self, make_user):
        user = make_user("html@example.com")
        person = services.register_person(user=user, name_en="<script>alert(1)</script>")
        person.refresh_from_db()
        assert person.name_en == "<script>alert(1)</script>"

    def test_a_name_is_required(self, make_user):
        with pytest.raises(ValidationError):
            services.register_person(user=make_user("noname@example.com"), name_en="  ")


@pytest.mark.django_db
class TestCounter:
    def test_clerk_registers_a_person_without_account(self, clerk_macau, zones):
        person = services.register_person(
            actor=clerk_macau,
            registered_at_zone=zones["mo"],
            name_zh="李美玲",
            phone="6612 3456",
            phone_region=Region.MACAU,
            documents=[(IdentifierKind.MACAU_BIR, "1234567(8)")],
        )
        assert person.user is None
        assert person.registered_at_zone == zones["mo"]

    def test_applicant_cannot_create_persons_for_others(self, applicant, zones):
        with pytest.raises(PermissionDenied):
            services.register_person(
                actor=applicant.user, registered_at_zone=zones["mo"], name_en="x"
            )

    def test_clerk_finds_a_person_by_document_and_sees_it_masked(self, applicant, clerk_macau):
        found = services.find_person_by_document(clerk_macau, IdentifierKind.HKID, "a123456(3)")
        assert found == applicant
        match = services.counter_lookup(clerk_macau, IdentifierKind.HKID, "a123456(3)")
        assert match.person == applicant
        assert {d.number for d in match.documents} == {"A12****(3)", "H1*****78"}
        assert all(d.masked for d in match.documents)
        # without the document in hand, a clerk cannot open a person of another zone
        with pytest.raises(PermissionDenied):
            services.documents_for(clerk_macau, applicant)

    def test_holder_sees_own_numbers_in_full(self, applicant):
        shown = services.documents_for(applicant.user, applicant)
        assert "A123456(3)" in {d.number for d in shown}

    def test_unknown_document_finds_nobody(self, applicant, clerk_macau):
        assert (
            services.find_person_by_document(clerk_macau, IdentifierKind.HKID, "B1234566") is None
        )

    def test_applicants_cannot_look_people_up(self, applicant, make_applicant):
        other = make_applicant("other@example.com")
        with pytest.raises(PermissionDenied):
            services.find_person_by_document(other.user, IdentifierKind.HKID, HKID)


@pytest.mark.django_db
class TestCompanies:
    def make_company(self, person):
        return services.create_company(
            person.user,
            identifier_kind=CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
            identifier="12345678",
            name_en="Bright Star Trading Limited",
            legal_representative="CHAN Tai Man",
            authorise_person=person,
        )

    def test_creator_acts_for_the_company_in_every_scope(self, applicant):
        company = self.make_company(applicant)
        [(found, authorisations)] = services.companies_of(applicant)
        assert found == company
        assert {a.scope for a in authorisations} == set(AuthorisationScope.values)
        assert company.identifier_masked != "12345678"

    def test_same_company_twice_is_refused(self, applicant, make_applicant):
        self.make_company(applicant)
        other = make_applicant("other@example.com")
        with pytest.raises(DuplicateDocument):
            self.make_company(other)
        assert Company.objects.count() == 1

    def test_macau_registration_number(self, applicant):
        company = services.create_company(
            applicant.user,
            identifier_kind=CompanyIdentifierKind.MACAU_REGISTRATION,
            identifier="12345 (so)",
            name_zh="澳門貿易有限公司",
        )
        assert company.identifier == "12345(SO)"

    def test_invalid_uscc_is_refused(self, applicant):
        with pytest.raises(ValidationError):
            services.create_company(
                applicant.user, identifier_kind="uscc", identifier="123", name_en="X"
            )

    def test_manager_authorises_and_revokes_a_colleague(self, applicant, make_applicant):
        company = self.make_company(applicant)
        colleague = make_applicant("colleague@example.com")
        [granted] = services.authorise(
            applicant.user, colleague, company, [AuthorisationScope.APPLY]
        )
        assert services.can(colleague.user, services.Action.COMPANY_VIEW, company)
        # a colleague without the manage scope cannot authorise others
        with pytest.raises(PermissionDenied):
            services.authorise(colleague.user, colleague, company, [AuthorisationScope.MANAGE])
        services.revoke_authorisation(applicant.user, granted)
        assert not services.can(colleague.user, services.Action.COMPANY_VIEW, company)

    def test_expired_authorisation_no_longer_counts(self, applicant, make_applicant):
        company = self.make_company(applicant)
        colleague = make_applicant("late@example.com")
        start = timezone.now() - dt.timedelta(days=10)
        services.authorise(
            applicant.user,
            colleague,
            company,
            [AuthorisationScope.APPLY],
            valid_from=start,
            valid_until=start + dt.timedelta(days=1),
        )
        assert services.companies_of(colleague) == []
        assert not services.can(colleague.user, services.Action.COMPANY_VIEW, company)

    def test_period_must_end_after_it_starts(self, applicant, make_applicant):
        company = self.make_company(applicant)
        colleague = make_applicant("period@example.com")
        now = timezone.now()
        with pytest.raises(ValidationError):
            services.authorise(
                applicant.user, colleague, company, ["apply"], valid_from=now, valid_until=now
            )


@pytest.mark.django_db
def test_the_last_manager_cannot_be_revoked(applicant):
    company = services.create_company(
        applicant.user,
        identifier_kind="hk-br",
        identifier="12345678",
        name_en="X Ltd",
        authorise_person=applicant,
    )
    manage = applicant.authorisations.get(scope=AuthorisationScope.MANAGE)
    with pytest.raises(ValidationError, match="Someone must still manage"):
        services.revoke_authorisation(applicant.user, manage)
    manage.refresh_from_db()
    assert manage.revoked_at is None
    apply = applicant.authorisations.get(scope=AuthorisationScope.APPLY)
    services.revoke_authorisation(applicant.user, apply)
    assert services.can(applicant.user, services.Action.COMPANY_AUTHORISE, company)
