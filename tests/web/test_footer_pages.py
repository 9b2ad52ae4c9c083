"""The footer's pages open for anyone, in every language; the favicon is there."""

import pytest
from django.urls import reverse

from tongban.catalog import services as catalog

FOOTER = [
    "web:help",
    "web:contact",
    "cases:public_status",
    "documents:verify",
    "web:privacy",
    "web:accessibility",
    "web:terms",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en", "pt"])
def test_every_footer_link_opens_in_every_language(client, language):
    home = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for name in FOOTER:
        url = reverse(name)
        assert f'href="{url}"' in home, name
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (name, language)


@pytest.mark.django_db
def test_the_contact_page_lists_each_zone_with_address_hours_and_phone(client):
    page = client.get(reverse("web:contact")).content.decode()
    zones = catalog.list_zones()
    assert zones, "the migrations ship the zones"
    for zone in zones:
        assert zone.localized("name") in page and zone.localized("hours") in page


@pytest.mark.django_db
def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.ico")
    page = client.get(reverse("web:home")).content.decode()
    assert 'rel="icon"' in page
