"""The catalog admin as a catalog editor uses it: find, filter, edit, and see who changed what."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from tests.accounts.signin_helpers import sign_in_staff
from tongban.catalog.models import ImportRun
from tongban.core import audit

from .factories import make_department, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = get_user_model().objects.create_superuser(
        email="editor@example.com", password="a long passphrase 42"
    )
    # Staff must have an authenticator app before the admin opens to them.
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in_staff(client, editor)
    return client


def test_items_can_be_searched_by_code_and_name(editor_client):
    department = make_department()
    wanted = make_item(department, name_zh_hans="住房公积金提取")
    other = make_item(department, name_zh_hans="结婚登记")

    by_name = editor_client.get("/admin/catalog/serviceitem/", {"q": "公积金"}).content.decode()
    by_code = editor_client.get(
        "/admin/catalog/serviceitem/", {"q": other.implementation_code}
    ).content.decode()

    assert wanted.implementation_code in by_name and other.implementation_code not in by_name
    assert other.implementation_code in by_code and wanted.implementation_code not in by_code


def test_items_can_be_filtered_by_high_frequency(editor_client):
    department = make_department()
    frequent = make_item(department, high_frequency=True)
    rare = make_item(department, high_frequency=False)

    page = editor_client.get(
        "/admin/catalog/serviceitem/", {"high_frequency__exact": "1"}
    ).content.decode()

    assert frequent.implementation_code in page
    assert rare.implementation_code not in page


def test_an_item_page_shows_its_materials(editor_client):
    item = make_item(materials=2)
    page = editor_client.get(f"/admin/catalog/serviceitem/{item.pk}/change/")

    assert page.status_code == 200
    assert "身份证明2" in page.content.decode()


def test_an_edit_is_recorded_with_who_made_it(editor_client):
    department = make_department()
    form = {
        "credit_code": department.credit_code,
        "name_zh_hans": "江门市新名称局",
        "name_zh_hant": "江門市新名稱局",
        "name_en": "Renamed Bureau",
        "name_pt": "Direção renomeada",
        "level": "city",
        "address": department.address,
        "phone": department.phone,
    }
    response = editor_client.post(f"/admin/catalog/department/{department.pk}/change/", form)

    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(department.pk))
    assert entry.user.email == "editor@example.com"
    history = editor_client.get(f"/admin/catalog/department/{department.pk}/history/")
    assert "editor@example.com" in history.content.decode()
    trail = audit.events_for("catalog.department", department.pk)
    assert [(e.event, e.actor, e.payload["fields"]) for e in trail] == [
        (
            "department_changed",
            audit.user_actor(entry.user),
            ["name_en", "name_pt", "name_zh_hans", "name_zh_hant"],
        )
    ]


def test_import_runs_are_read_only(editor_client):
    run = ImportRun.objects.create(actor="ops", file_name="items.csv", file_sha256="0" * 64)

    assert editor_client.get("/admin/catalog/importrun/").status_code == 200
    assert editor_client.get("/admin/catalog/importrun/add/").status_code == 403
    response = editor_client.post(f"/admin/catalog/importrun/{run.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()
