import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services
from tongban.accounts.models import Company, StaffAssignment

from .conftest import HKID, HMT_PERMIT


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser(email="root@example.com", password="x" * 12)
    TOTP.activate(admin, generate_totp_secret())  # staff must have MFA
    sign_in_staff(client, admin)
    return client


@pytest.mark.django_db
def test_admin_pages_show_identifiers_masked_only(admin_client, applicant, clerk_macau):
    company = services.create_company(
        applicant.user,
        identifier_kind="hk-br",
        identifier="12345678",
        name_en="X Ltd",
        authorise_person=applicant,
    )
    assignment = StaffAssignment.objects.get(user=clerk_macau)
    pages = [
        reverse("admin:accounts_person_changelist"),
        reverse("admin:accounts_person_change", args=[applicant.pk]),
        reverse("admin:accounts_company_changelist"),
        reverse("admin:accounts_company_change", args=[company.pk]),
        reverse("admin:accounts_staffassignment_changelist"),
        reverse("admin:accounts_staffassignment_change", args=[assignment.pk]),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[clerk_macau.pk]),
        reverse("admin:accounts_crossborderconsent_changelist"),
        reverse("admin:accounts_datarequest_changelist"),
        reverse("admin:accounts_apitoken_changelist"),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in (HKID, "A1234563", HMT_PERMIT, "12345678"):
            assert secret not in page, (url, secret)
    person_page = admin_client.get(pages[1]).content.decode()
    assert "A12****(3)" in person_page
    assert Company.objects.get().identifier == "12345678"


@pytest.mark.django_db
def test_admin_refuses_a_clerk_without_zone(admin_client, clerk_macau):
    response = admin_client.post(
        reverse("admin:accounts_staffassignment_add"),
        {"user": clerk_macau.pk, "role": "zone_clerk", "zone": "", "department": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    assert StaffAssignment.objects.filter(user=clerk_macau).count() == 1


@pytest.mark.django_db
def test_role_bindings_are_explained(make_user, zones, departments):
    from django.core.exceptions import ValidationError

    user = make_user("staff@example.com")
    with pytest.raises(ValidationError, match="zone clerk works at one zone"):
        services.assign_role(user, "zone_clerk")
    with pytest.raises(ValidationError, match="one department"):
        services.assign_role(user, "department_reviewer", zone=zones["mo"])
    with pytest.raises(ValidationError, match="one zone"):
        services.assign_role(user, "supervisor", zone=zones["mo"])
    assert not StaffAssignment.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_role_is_held_once_per_place(make_user, zones):
    from django.core.exceptions import ValidationError

    user = make_user("twice@example.com", "supervisor")
    with pytest.raises(ValidationError, match="already holds this role"):
        services.assign_role(user, "supervisor")
    services.assign_role(user, "zone_clerk", zone=zones["mo"])
    with pytest.raises(ValidationError, match="already holds this role here"):
        services.assign_role(user, "zone_clerk", zone=zones["mo"])
    services.assign_role(user, "zone_clerk", zone=zones["hk"])
    assert StaffAssignment.objects.filter(user=user).count() == 3
