"""The admin works for the roles that need it: an administrator manages accounts and the
catalog, a catalog editor the catalog only; both signed in with their second factor."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services
from tongban.accounts.constants import Role

pytestmark = pytest.mark.django_db


def staff_with(role, client):
    user = get_user_model().objects.create_user(
        email=f"{role}@example.com", password="a long passphrase 42"
    )
    services.assign_role(user, role)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in_staff(client, user)
    return user


def test_an_administrator_manages_accounts_and_the_catalog(client):
    staff_with(Role.ADMINISTRATOR, client)
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert index.status_code == 200
    assert "have permission to view or edit anything" not in index.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_serviceitem_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_zone_changelist")).status_code == 200


def test_a_catalog_editor_edits_the_catalog_and_nothing_else(client):
    staff_with(Role.CATALOG_EDITOR, client)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:catalog_serviceitem_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_searchsynonym_add")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_a_clerk_or_an_applicant_is_refused_the_admin(client, make_user, zones):
    clerk = make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    Authenticator.objects.create(user=clerk, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in_staff(client, clerk)
    assert client.get(reverse("admin:catalog_serviceitem_changelist")).status_code in (302, 403)


def test_a_role_without_its_second_factor_proved_does_not_open_the_admin(client):
    user = get_user_model().objects.create_user(
        email="ed@example.com", password="a long passphrase 42"
    )
    services.assign_role(user, Role.CATALOG_EDITOR)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)  # a password-only session
    response = client.get(reverse("admin:catalog_serviceitem_changelist"))
    assert response.status_code in (302, 401, 403)
