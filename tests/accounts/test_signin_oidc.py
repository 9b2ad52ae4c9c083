"""iAM Smart-style sign-in, end to end against a real OpenID provider on 127.0.0.1.

The test client stands for the browser on our side; ``requests`` carries the browser's hop to
the provider, which redirects back with a code; allauth then calls the provider's token,
userinfo and JWKS endpoints over HTTP itself. Nothing is mocked.
"""

from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from tests.accounts.conftest import PASSWORD
from tests.accounts.oidc_provider import LocalOpenIDProvider, ProviderIdentity
from tongban.accounts.signin import services
from tongban.accounts.signin.oidc_settings import providers_from_environment

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/oidc/iamsmart/login/"


@pytest.fixture
def idp():
    provider = LocalOpenIDProvider().start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _iamsmart_configured(idp, settings):
    cache.clear()
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        {
            "TONGBAN_OIDC_IAMSMART_SERVER_URL": idp.issuer,
            "TONGBAN_OIDC_IAMSMART_CLIENT_ID": idp.client_id,
            "TONGBAN_OIDC_IAMSMART_SECRET": idp.client_secret,
            "TONGBAN_OIDC_IAMSMART_NAME": "iAM Smart",
        }
    )
    yield
    cache.clear()


def _to_provider_and_back(client, idp, login_url=LOGIN_URL) -> str:
    """Starts sign-in, lets the provider approve, returns our callback path with code and state."""
    response = client.post(login_url)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(f"{idp.issuer}/authorize?")
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    callback = urlsplit(at_provider.headers["Location"])
    assert callback.path == "/accounts/oidc/iamsmart/login/callback/"
    return f"{callback.path}?{callback.query}"


def _signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_a_new_resident_signs_in_with_iamsmart_and_gets_a_linked_account(client, idp):
    callback = _to_provider_and_back(client, idp)
    response = client.get(callback, follow=True)

    assert response.status_code == 200
    user = _signed_in_user(client)
    assert user is not None and user.email == "chan.taiman@example.com"
    subject = idp.pairwise_subject(idp.identity, idp.client_id)
    link = SocialAccount.objects.get(user=user)
    assert (link.provider, link.uid) == ("iamsmart", subject)
    assert services.user_for_provider_account("iamsmart", subject) == user
    assert [p.provider_name for p in services.linked_providers(user)] == ["iAM Smart"]


def test_the_same_pairwise_id_signs_in_to_the_same_account_again(client, idp):
    client.get(_to_provider_and_back(client, idp), follow=True)
    first = _signed_in_user(client)
    client.post("/accounts/logout/")
    assert _signed_in_user(client) is None

    client.get(_to_provider_and_back(client, idp), follow=True)

    assert _signed_in_user(client) == first
    assert SocialAccount.objects.count() == 1


def test_a_signed_in_applicant_links_iamsmart_to_their_existing_account(client, idp, make_user):
    applicant = make_user("wong@example.com")
    client.login(email="wong@example.com", password=PASSWORD)
    idp.identity = ProviderIdentity(user_key="hk-resident-2", email="other@example.com")

    callback = _to_provider_and_back(client, idp, LOGIN_URL + "?process=connect")
    client.get(callback, follow=True)
    client.post("/accounts/logout/")
    client.get(_to_provider_and_back(client, idp), follow=True)

    assert _signed_in_user(client) == applicant
    subject = idp.pairwise_subject(idp.identity, idp.client_id)
    assert services.user_for_provider_account("iamsmart", subject) == applicant


def test_a_provider_email_does_not_take_over_an_existing_account(client, idp, make_user):
    make_user("chan.taiman@example.com")  # same address as the provider's test identity

    client.get(_to_provider_and_back(client, idp), follow=True)

    # Not signed in to the existing account: the person must prove they own it first.
    user = _signed_in_user(client)
    assert user is None or user.email != "chan.taiman@example.com"
    assert not SocialAccount.objects.filter(user__email="chan.taiman@example.com").exists()


def test_a_replayed_callback_is_refused_cleanly(client, idp):
    callback = _to_provider_and_back(client, idp)
    client.get(callback, follow=True)
    client.post("/accounts/logout/")

    response = client.get(callback, headers={"accept-language": "en"})

    assert response.status_code == 401  # allauth's answer to a failed third-party sign-in
    assert "Sign-in did not complete" in response.content.decode()
    assert _signed_in_user(client) is None


def test_an_expired_state_is_refused_cleanly_with_a_translated_message(client, idp):
    callback = _to_provider_and_back(client, idp)
    session = client.session
    states = session["socialaccount_states"]
    for state_id, (state, created, provider_id) in list(states.items()):
        states[state_id] = (state, created - 3600, provider_id)  # an hour old
    session["socialaccount_states"] = states
    session.save()

    response = client.get(callback, headers={"accept-language": "en"})
    assert response.status_code == 401
    assert "Sign-in did not complete" in response.content.decode()
    assert _signed_in_user(client) is None
    assert idp.token_requests == 0  # the code was never even exchanged
    # In Traditional Chinese, the page speaks the catalog's words for the same message.
    client.cookies["django_language"] = "zh-hant"
    with translation.override("zh-hant"):
        expected = translation.gettext("Sign-in did not complete")
    page = client.get(callback).content.decode()
    assert 'lang="zh-hant"' in page and expected in page


def test_a_forged_state_is_refused_cleanly(client, idp):
    callback = _to_provider_and_back(client, idp)
    forged = callback.split("state=")[0] + "state=forged"

    response = client.get(forged)

    assert response.status_code == 401
    assert _signed_in_user(client) is None
    assert idp.token_requests == 0


def test_the_provider_is_configured_from_the_environment_only():
    apps = providers_from_environment(
        {"TONGBAN_OIDC_PROVIDERS": '[{"id": "mosp", "server_url": "https://x", "client_id": "c"}]'}
    )["openid_connect"]["APPS"]
    assert [(a["provider_id"], a["settings"]["server_url"]) for a in apps] == [
        ("mosp", "https://x")
    ]
    assert providers_from_environment({}) == {}


def test_the_sign_in_page_offers_iamsmart(client):
    page = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert "iAM Smart" in page and LOGIN_URL in page
    # Following the link without JavaScript shows a confirmation form (a POST starts the hop).
    confirm = client.get(LOGIN_URL, headers={"accept-language": "en"})
    assert confirm.status_code == 200
    assert "Sign In Via iAM Smart" in confirm.content.decode()
    assert '<form method="post"' in confirm.content.decode()
