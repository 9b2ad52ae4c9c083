"""A Hong Kong resident's journey through the catalog, in Chromium, without help from JavaScript.

Search in traditional characters → the certificate item → its printable checklist → Português;
the item page at phone width; the search box by keyboard alone.
"""

import datetime as dt
import itertools
import re

import pytest
from playwright.sync_api import Page, expect
from stdnum.cn import uscc

from tongban.catalog import constants as c
from tongban.catalog.models import Department, MaterialRequirement, ServiceItem, Topic, Zone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

_serial = itertools.count(1)
CERTIFICATE_PT = "Impressão de certidão de contribuições para a segurança social"


def _department() -> Department:
    body = "11440700007039565"
    return Department.objects.create(
        credit_code=body + uscc.calc_check_digit(body),
        name_zh_hans="江门市人力资源和社会保障局",
        name_zh_hant="江門市人力資源和社會保障局",
        name_en="Jiangmen Human Resources and Social Security Bureau",
        name_pt="Direcção de Recursos Humanos e Segurança Social de Jiangmen",
        address="江门市蓬江区建设三路",
        phone="0750-3500000",
    )


def _item(department, zh, zh_hant, en, pt, **fields) -> ServiceItem:
    item = ServiceItem.objects.create(
        implementation_code=f"{department.credit_code}3440{next(_serial):08d}",
        basic_code="000000000000",
        name_zh_hans=zh,
        name_zh_hant=zh_hant,
        name_en=en,
        name_pt=pt,
        item_type=c.ItemType.PUBLIC_SERVICE,
        department=department,
        level=c.Level.CITY,
        handling_type=fields.pop("handling_type", c.HandlingType.PROMISED),
        statutory_limit=20,
        statutory_unit=c.LimitUnit.WORKING_DAYS,
        promised_limit=fields.pop("promised_limit", 5),
        promised_unit=c.LimitUnit.WORKING_DAYS,
        visits=1,
        channels=[c.Channel.COUNTER, c.Channel.KIOSK, c.Channel.ONLINE],
        scope=c.Scope.CROSS_BORDER,
        legal_basis="《中华人民共和国社会保险法》",
        result_type=c.ResultType.OTHER,
        entered_zones_on=dt.date(2022, 3, 1),
        **fields,
    )
    item.topics.set(Topic.objects.filter(slug="social-insurance"))
    item.zones.set(Zone.objects.all())
    MaterialRequirement.objects.create(
        item=item,
        position=1,
        name_zh_hans="港澳居民来往内地通行证",
        name_zh_hant="港澳居民來往內地通行證",
        name_en="Mainland Travel Permit for Hong Kong and Macao Residents",
        name_pt="Salvo-conduto para Residentes de Hong Kong e Macau",
        material_type=c.MaterialType.CERTIFICATE,
        source=c.MaterialSource.APPLICANT,
        necessity=c.Necessity.REQUIRED,
        form=c.MaterialForm.PAPER,
        originals=1,
        copies=1,
        hkmo_note="出示原件",
    )
    return item


@pytest.fixture
def social_insurance():
    department = _department()
    others = [
        ("单位参保证明查询打印", "單位參保證明查詢打印", "Printing of an employer's social insurance certificate", "Impressão de certidão de segurança social da entidade empregadora"),
        ("养老保险待遇申领", "養老保險待遇申領", "Claiming pension benefits", "Requerimento de pensão de velhice"),
        ("失业保险金申领", "失業保險金申領", "Claiming unemployment benefit", "Requerimento do subsídio de desemprego"),
        ("社会保险个人缴费登记", "社會保險個人繳費登記", "Registering to pay social insurance as an individual", "Inscrição para contribuições individuais para a segurança social"),
    ]  # fmt: skip
    for zh, zh_hant, en, pt in others:
        _item(department, zh, zh_hant, en, pt)
    return _item(
        department,
        "个人参保证明查询打印",
        "個人參保證明查詢打印",
        "Printing of a personal social insurance certificate",
        CERTIFICATE_PT,
        high_frequency=True,
        handling_type=c.HandlingType.ON_THE_SPOT,
        promised_limit=0,
    )


def test_search_in_traditional_characters_then_item_checklist_and_portuguese(
    page: Page, live_server, social_insurance
):
    page.goto(live_server.url + "/")
    search_box = page.locator("main input[name=q]")
    search_box.fill("參保證明")
    search_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/services/search/\?q="))
    first = page.locator(".results .result-title a").first
    expect(first).to_have_attribute("href", f"/services/{social_insurance.implementation_code}/")
    first.click()

    expect(page.locator("h1")).to_have_text(social_insurance.name_en)
    expect(page.locator("table.materials")).to_contain_text("Mainland Travel Permit")
    page.locator(".item-actions a[href$='/checklist/']").click()

    expect(page).to_have_url(re.compile(r"/checklist/$"))
    expect(page.locator("table.materials input[type=checkbox]")).to_have_count(1)
    page.get_by_label("Mainland Travel Permit for Hong Kong and Macao Residents").check()

    page.locator("#language-select").select_option("pt")
    page.locator(".language-form button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page).to_have_url(re.compile(r"/checklist/$"))
    expect(page.locator("h1")).to_contain_text(CERTIFICATE_PT)
    expect(page.locator("table.materials")).to_contain_text("Salvo-conduto")
    expect(page.locator(".zones")).to_contain_text("Seg.–sex. 9:30–17:30")
    expect(page.locator(".main-nav")).to_contain_text("Pesquisar")  # the interface too


def test_item_page_fits_a_phone_screen(page: Page, live_server, social_insurance):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/services/{social_insurance.implementation_code}/")
    expect(page.locator("h1")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The materials table turns into one card per material, every label still readable.
    expect(page.locator("table.materials thead")).not_to_be_in_viewport()
    expect(page.locator("table.materials tbody th").first).to_be_visible()


def test_search_by_keyboard_alone_with_visible_focus(page: Page, live_server, social_insurance):
    page.goto(live_server.url + "/")
    focused_name = "() => document.activeElement.getAttribute('name')"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(focused_name) == "q" and page.evaluate(
            "() => !!document.activeElement.closest('main')"
        ):
            break
    else:
        pytest.fail("Tab never reached the search box")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    page.keyboard.type("参保证明")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('type')") == "submit"
    assert page.evaluate("() => !!document.activeElement.closest('form[role=search]')")
    page.keyboard.press("Enter")
    expect(page.locator(".results .result-title a").first).to_have_attribute(
        "href", f"/services/{social_insurance.implementation_code}/"
    )
