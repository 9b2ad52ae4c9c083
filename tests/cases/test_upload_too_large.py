"""A 25 MB upload gets "the file is too large", not Django's "CSRF verification failed".

Browsers put the CSRF token inside the multipart body, which an oversized request never has
read; the answer must still say why the file was refused, in the reader's language, and store
nothing.
"""

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services as accounts
from tongban.cases.attachments import too_large_message
from tongban.cases.models import Attachment

from .conftest import draft_for
from .test_attachments import MB, LazyZeros, post_body, stored_files

SIZE = 25 * MB


def browser_like(user, language="en") -> Client:
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": language})
    sign_in_staff(client, user)  # for staff, a session that proved its second factor
    return client


def oversized_form_body(token: str) -> LazyZeros:
    head = (
        f'--XyZ\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n\r\n%PDF-'
    ).encode()
    return LazyZeros(head, SIZE)


def csrf_token(client, path) -> str:
    page = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_applicants_upload_page_answers_413_with_the_reason(world, settings):
    case = draft_for(world)
    client = browser_like(world.applicant)
    path = reverse("cases:materials", args=[case.number])
    body = oversized_form_body(csrf_token(client, path))
    response = post_body(client, path, body, SIZE)
    page = response.content.decode()
    assert response.status_code == 413
    assert "This file is larger than 20 MB" in page
    assert "CSRF" not in page
    assert f'href="{path}"' in page  # back to the form
    # Read and thrown away, so a browser still sending gets the page rather than a reset.
    assert body.read_so_far == SIZE
    assert not Attachment.objects.exists() and not stored_files(settings)


def test_a_far_too_large_upload_is_not_even_read(world, settings):
    case = draft_for(world)
    client = browser_like(world.applicant)
    path = reverse("cases:materials", args=[case.number])
    body = oversized_form_body(csrf_token(client, path))
    size = 200 * MB
    body.size = size
    response = post_body(client, path, body, size)
    assert response.status_code == 413
    assert body.read_so_far < MB
    assert not Attachment.objects.exists() and not stored_files(settings)


def test_the_reason_is_in_the_readers_language(world):
    case = draft_for(world)
    client = browser_like(world.applicant, language="pt")
    path = reverse("cases:materials", args=[case.number])
    response = post_body(client, path, oversized_form_body(csrf_token(client, path)), SIZE)
    with translation.override("pt"):
        in_portuguese = too_large_message()
    with translation.override("en"):
        assert in_portuguese != too_large_message()
    assert response.status_code == 413
    assert in_portuguese in response.content.decode()


def test_the_counter_upload_answers_413_with_the_reason(world, settings):
    w = world
    client = browser_like(w.clerk_mo)
    case = draft_for(w)
    path = reverse("cases:counter_case", args=[case.number])
    response = post_body(client, path, oversized_form_body(csrf_token(client, path)), SIZE)
    assert response.status_code == 413
    assert "This file is larger than 20 MB" in response.content.decode()
    assert not Attachment.objects.exists() and not stored_files(settings)


def test_the_api_answers_413_in_its_error_shape_with_a_session_or_a_token(world, settings):
    case = draft_for(world)
    path = f"/api/v1/cases/{case.number}/attachments"
    session = browser_like(world.applicant)
    session.get("/me/")
    headers = {"HTTP_X_CSRFTOKEN": session.cookies["csrftoken"].value}
    body = oversized_form_body("")
    response = session.generic(
        "POST",
        path,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(SIZE),
            "CONTENT_TYPE": "multipart/form-data; boundary=XyZ",
        },
        **headers,
    )
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
    assert "20 MB" in response.json()["detail"]
    assert body.read_so_far < MB
    # API tokens are for staff with an authenticator app (the clerk's integration).
    _record, token = accounts.create_api_token(world.clerk_mo, "integration", scopes=["cases"])
    bearer = Client(headers={"Authorization": f"Bearer {token}"})
    response = post_body(bearer, path, oversized_form_body(""), SIZE)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Attachment.objects.exists() and not stored_files(settings)
