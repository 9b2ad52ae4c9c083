"""The public catalog pages, through Django's test client, as a visitor would read them."""

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from stdnum.cn import uscc

from tongban.catalog import constants as c
from tongban.catalog import views
from tongban.catalog.models import Department, MaterialRequirement, ServiceItem, Topic, Zone

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "zh-hant", "en", "pt"]
_serial = itertools.count(1)


# --- Builders (small on purpose: each test says what matters to it) ----------------------


def make_department(name="江门市人力资源和社会保障局", **fields) -> Department:
    body = f"11440700007{next(_serial):06d}"
    defaults = {
        "credit_code": body + uscc.calc_check_digit(body),
        "name_zh_hans": name,
        "name_zh_hant": fields.pop("name_zh_hant", name),
        "name_en": "Jiangmen Human Resources and Social Security Bureau",
        "name_pt": "Direcção de Recursos Humanos e Segurança Social de Jiangmen",
        "address": "江门市蓬江区建设三路",
        "phone": "0750-3500000",
    }
    return Department.objects.create(**{**defaults, **fields})


def make_item(name="个人参保证明查询打印", *, department=None, topics=(), zones=(), **fields):
    code = fields.pop("implementation_code", None) or f"11440700007039565U{next(_serial):012d}"
    defaults = {
        "implementation_code": code,
        "basic_code": "000000000000",
        "name_zh_hans": name,
        "name_zh_hant": name,
        "name_en": "Printing of a personal social insurance certificate",
        "name_pt": "Impressão de certidão de contribuições para a segurança social",
        "item_type": c.ItemType.PUBLIC_SERVICE,
        "department": department or make_department(),
        "level": c.Level.CITY,
        "handling_type": c.HandlingType.PROMISED,
        "statutory_limit": 20,
        "statutory_unit": c.LimitUnit.WORKING_DAYS,
        "statutory_note": "",
        "promised_limit": 5,
        "promised_unit": c.LimitUnit.WORKING_DAYS,
        "promised_note": "",
        "visits": 1,
        "channels": [c.Channel.COUNTER, c.Channel.KIOSK],
        "scope": c.Scope.CROSS_BORDER,
        "legal_basis": "《社会保险法》第四条",
        "result_type": c.ResultType.OTHER,
        "entered_zones_on": dt.date(2022, 1, 1),
    }
    item = ServiceItem.objects.create(**{**defaults, **fields})
    item.topics.set(Topic.objects.filter(slug__in=topics))
    item.zones.set(Zone.objects.filter(code__in=zones))
    return item


def make_material(item, name="港澳居民来往内地通行证", **fields) -> MaterialRequirement:
    defaults = {
        "position": item.materials.count() + 1,
        "name_zh_hans": name,
        "name_zh_hant": name,
        "name_en": "Mainland Travel Permit for Hong Kong and Macao Residents",
        "name_pt": "Salvo-conduto para Residentes de Hong Kong e Macau",
        "material_type": c.MaterialType.CERTIFICATE,
        "source": c.MaterialSource.APPLICANT,
        "necessity": c.Necessity.REQUIRED,
        "form": c.MaterialForm.PAPER,
        "originals": 1,
        "copies": 1,
        "hkmo_note": "",
    }
    return MaterialRequirement.objects.create(item=item, **{**defaults, **fields})


def get(client, url, language="zh-hans", **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def text(response) -> str:
    return response.content.decode()


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', text(response)).group(1)


class PageOutline(HTMLParser):
    """Heading levels, form controls and labels, landmarks: what assistive technology reads."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict] = []
        self.label_targets: set[str] = set()
        self.landmarks: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.controls.append(attributes)
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.add(tag)

    @classmethod
    def of(cls, response) -> "PageOutline":
        outline = cls()
        outline.feed(text(response))
        return outline


# --- Every page, every language ---------------------------------------------------------


@pytest.fixture
def certificate():
    item = make_item(
        topics=["social-insurance"],
        zones=["JM", "MO-1"],
        high_frequency=True,
        has_fee=False,
        booking_supported=True,
        online=True,
        online_depth=3,
        process_steps=["申请", "受理", "办结"],
        result_name="个人参保证明",
        consultation_phone="12333",
        complaint_phone="12345",
        promised_note="材料齐全当场打印",
    )
    make_material(item, hkmo_note="可使用港澳居民居住证代替")
    make_material(item, "授权委托书", name_en="Letter of authorisation", necessity="optional")
    return item


PAGES = [
    "/",
    "/services/",
    "/services/?topic=social-insurance",
    "/services/search/?q=參保證明",
    "/services/departments/",
    "/services/{code}/",
    "/services/{code}/checklist/",
    "/services/departments/{department}/",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url_pattern", PAGES)
def test_every_page_renders_in_every_language(client, certificate, url_pattern, language):
    url = url_pattern.format(
        code=certificate.implementation_code, department=certificate.department.credit_code
    )
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert html_lang(response) == language
    body = text(response)
    assert 'action="/i18n/setlang/"' in body
    outline = PageOutline.of(response)
    assert outline.headings.count(1) == 1
    assert outline.headings[0] == 1
    skipped = [(a, b) for a, b in itertools.pairwise(outline.headings) if b > a + 1]
    assert not skipped, f"heading levels skip: {outline.headings}"
    unlabelled = [c for c in outline.controls if c.get("id") not in outline.label_targets]
    assert not unlabelled
    assert outline.landmarks == {"header", "nav", "main", "footer"}


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("zh-hans", "个人参保证明查询打印"),
        ("zh-hant", "個人參保證明查詢打印"),
        ("en", "Printing of a personal social insurance certificate"),
        ("pt", "Impressão de certidão de contribuições para a segurança social"),
    ],
)
def test_item_name_follows_the_language(client, language, name):
    item = make_item(name_zh_hant="個人參保證明查詢打印")
    response = get(client, f"/services/{item.implementation_code}/", language)
    assert f"<h1>{name}</h1>" in text(response)


# --- Home ----------------------------------------------------------------------------------


def test_home_has_one_search_box_topic_tiles_and_other_ways_to_browse(client, certificate):
    body = text(get(client, "/", "en"))
    assert body.count('name="q"') == 1
    assert '<label for="q">' in body
    for slug in c.TOPICS:
        assert f'href="/services/?topic={slug}"' in body
    assert 'href="/services/departments/"' in body
    assert 'href="/services/?audience=company"' in body
    assert 'href="/services/?scope=province"' in body
    assert "Remote video" in body or "By remote video" in body
    assert "Self-service kiosk" in body or "At a self-service kiosk" in body
    assert "Printing of a personal social insurance certificate" in body  # frequently used


# --- Browse ----------------------------------------------------------------------------------


def test_browse_filters_by_topic_audience_scope_department_and_frequency(client):
    labour = make_department()
    tax = make_department("国家税务总局江门市税务局", name_en="Jiangmen Tax Bureau")
    pension = make_item(
        "养老保险待遇申领", department=labour, topics=["social-insurance"], name_en="Pension"
    )
    company = make_item(
        "企业纳税申报",
        department=tax,
        topics=["tax"],
        for_persons=False,
        for_companies=True,
        scope=c.Scope.PROVINCE,
        high_frequency=True,
        name_en="Company tax return",
    )

    def names(**params):
        return text(get(client, "/services/", "en", **params))

    assert "Pension" in names(topic="social-insurance")
    assert "Company tax return" not in names(topic="social-insurance")
    assert "Company tax return" in names(audience="company")
    assert "Pension" not in names(audience="company")
    assert "Pension" not in names(scope="province")
    assert "Company tax return" in names(department=tax.credit_code)
    assert "Pension" not in names(department=tax.credit_code)
    assert "Pension" not in names(high_frequency="on")
    assert pension.implementation_code in names()
    assert company.implementation_code in names()


def test_browse_form_keeps_the_chosen_filters_selected(client):
    make_item()
    body = text(get(client, "/services/", "en", topic="tax", scope="province"))
    assert '<option value="tax" selected>' in body
    assert '<option value="province" selected>' in body
    assert '<label for="id_department">' in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"topic": "<b>nope</b>"}, "There is no such topic."),
        ({"scope": "moon"}, "Choose Jiangmen only, cross-border or province-wide."),
        ({"audience": "robot"}, "Choose persons or companies."),
        ({"department": "914400000000000000"}, "There is no department with this code."),
        ({"after": "x" * 300}, "This page link is broken; start from the first page."),
        ({"after": "\x00"}, "Null characters are not allowed."),
    ],
)
def test_bad_filter_values_get_a_clear_message(client, params, message):
    make_item()
    response = get(client, "/services/", "en", **params)
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert "<b>nope</b>" not in body


def test_browse_pages_by_keyset_with_the_filters_kept(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    department = make_department()
    codes = sorted(
        make_item(f"事项{n}", department=department, topics=["tax"]).implementation_code
        for n in "甲乙丙丁戊"
    )
    seen = []
    url = "/services/?topic=tax"
    while url:
        body = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        seen += [code for code in codes if f"/services/{code}/" in body]
        match = re.search(r'<a href="(\?[^"]+)" rel="next">', body)
        url = "/services/" + match.group(1).replace("&amp;", "&") if match else None
        if url:
            assert "topic=tax" in url
    assert seen == codes


# --- Search ----------------------------------------------------------------------------------


def test_search_in_traditional_characters_finds_the_certificate_first(client, certificate):
    make_item("单位参保证明查询打印", name_en="Printing of an employer's certificate")
    make_item("养老保险待遇申领", name_en="Claiming a pension")
    response = get(client, "/services/search/", "en", q="參保證明")
    assert response.status_code == 200
    body = text(response)
    first = re.search(r'class="result-title"><a href="([^"]+)"', body).group(1)
    assert first == f"/services/{certificate.implementation_code}/"
    assert '<p class="zh-name" lang="zh-Hans">个人参保证明查询打印</p>' in body
    assert "Jiangmen Human Resources and Social Security Bureau" in body
    assert "Cross-border" in body
    assert "5 working days" in body


def test_search_in_chinese_shows_no_duplicate_chinese_name(client, certificate):
    body = text(get(client, "/services/search/", "zh-hans", q="参保证明"))
    assert 'class="zh-name"' not in body


def test_empty_and_too_long_searches_say_what_to_do(client):
    empty = get(client, "/services/search/", "en", q="   ")
    assert empty.status_code == 400
    assert "Type a few words to search for" in text(empty)
    too_long = get(client, "/services/search/", "en", q="参" * 201)
    assert too_long.status_code == 400
    assert "Your search is too long: use at most 200 characters." in text(too_long)
    assert get(client, "/services/search/", "en", q="\x00").status_code == 400
    assert get(client, "/services/search/", "en").status_code == 200


def test_search_without_matches_offers_browsing(client, certificate):
    body = text(get(client, "/services/search/", "en", q="spaceship"))
    assert "No service matches your search." in body


def test_search_counts_every_match_honestly_and_pages_through_them(client, certificate):
    for number in range(45):
        make_item(f"港澳居民参保登记{number}", name_en=f"Social insurance registration {number}")
    first = text(get(client, "/services/search/", "en", q="registration"))
    assert "45 services found" in first and "Page 1 of 3." in first
    assert first.count('class="result-title"') == 20
    link = re.search(r'<a href="(\?[^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = text(client.get("/services/search/" + link, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Page 2 of 3." in second and 'rel="prev"' in second
    last = text(get(client, "/services/search/", "en", q="registration", page="3"))
    assert last.count('class="result-title"') == 5
    assert "Page 3 of 3." in text(get(client, "/services/search/", "en", q="registration", page="99"))
    assert get(client, "/services/search/", "en", q="registration", page="x").status_code == 200


def test_a_misspelt_search_offers_the_word_it_probably_meant(client, certificate):
    body = text(get(client, "/services/search/", "en", q="certifcate"))
    assert "Did you mean" in body and "certificate" in body


def test_zero_results_offer_the_most_used_services_and_a_person_to_ask(client, certificate):
    certificate.high_frequency = True
    certificate.save()
    body = text(get(client, "/services/search/", "en", q="spaceship"))
    assert "Services people use most" in body and certificate.implementation_code in body
    assert "Ask a person" in body


# --- Item page ------------------------------------------------------------------------------


def test_item_page_says_everything_needed_before_coming(client, certificate):
    department = certificate.department
    body = text(get(client, f"/services/{certificate.implementation_code}/", "en"))
    expected = [
        "个人参保证明查询打印",  # the Chinese name beside the English one
        department.name_en,
        department.address,
        department.phone,
        "Public service",
        "Persons",
        "Cross-border",
        "Decided within the promised limit",
        "20 working days",
        "5 working days",
        "材料齐全当场打印",
        "1 visit",
        "At a zone counter, Self-service kiosk",
        "Free of charge",
        "You can book a time at a zone",
        "Level 3 of 4",
        "Mainland Travel Permit for Hong Kong and Macao Residents",
        "Required",
        "Optional",
        "1 original and 1 copy",
        "可使用港澳居民居住证代替",
        "Jiangmen Citizen Service Centre",
        "1/F, Citizen Service Centre, Fazhan Avenue",
        "Mon–Fri 9:30–17:30 (closed on Macao public holidays)",
        "+853 2800 0000",
        "《社会保险法》第四条",
        "<li>受理</li>",
        "个人参保证明",
        "12333",
        "12345",
        f'href="/services/{certificate.implementation_code}/checklist/"',
        'href="/services/?topic=social-insurance"',
    ]
    missing = [fragment for fragment in expected if fragment not in body]
    assert not missing


def test_item_page_shows_fee_standard_and_zone_addresses_in_portuguese(client):
    item = make_item(has_fee=True, fee_standard="住宅类每件80元", zones=["HK"])
    body = text(get(client, f"/services/{item.implementation_code}/", "pt"))
    assert "住宅类每件80元" in body
    assert "Kowloon, Hong Kong (endereço ilustrativo)" in body
    assert "Seg.–sex. 9:00–17:00" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_code_gives_a_translated_not_found_page(client, language):
    response = get(client, "/services/NO-SUCH-CODE/", language)
    assert response.status_code == 404
    assert html_lang(response) == language
    body = text(response)
    assert "<h1>" in body
    assert 'name="q"' in body
    assert "Traceback" not in body


def test_suspended_item_is_not_found(client):
    item = make_item(status=c.ItemStatus.SUSPENDED)
    assert get(client, f"/services/{item.implementation_code}/").status_code == 404
    assert get(client, f"/services/{item.implementation_code}/checklist/").status_code == 404


def test_names_with_markup_are_shown_escaped(client):
    item = make_item(
        "<script>alert(1)</script>证明",
        name_en="<script>alert(1)</script> certificate",
        department=make_department(
            "<img src=x onerror=alert(1)>局", name_en="<img src=x onerror=alert(1)> bureau"
        ),
    )
    make_material(item, name_en="<i>permit</i>")
    for url in [
        f"/services/{item.implementation_code}/",
        f"/services/{item.implementation_code}/checklist/",
        "/services/",
        "/services/search/?q=certificate",
        "/services/departments/",
    ]:
        body = text(get(client, url, "en"))
        assert "<script>alert(1)</script>" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in body, url
        if "departments" not in url:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
    search_body = text(get(client, "/services/search/", "en", q="<script>"))
    assert "<script>" not in search_body.split("</head>")[1]


# --- Checklist --------------------------------------------------------------------------


def test_checklist_has_a_labelled_tick_box_per_material_and_the_zones(client, certificate):
    body = text(get(client, f"/services/{certificate.implementation_code}/checklist/", "en"))
    boxes = re.findall(r'<input type="checkbox" id="(material-\d+)">', body)
    assert boxes == ["material-1", "material-2"]
    for box in boxes:
        assert f'<label for="{box}">' in body
    assert "Letter of authorisation" in body
    assert "Jiangmen–Macao Cross-border Government Services Zone (Macao Peninsula)" in body
    assert "Mon–Fri 9:00–12:00, 14:00–17:30" in body
    assert 'class="page-checklist"' in body


# --- Departments ------------------------------------------------------------------------


def test_department_list_and_page(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    department = make_department()
    first = make_item("养老保险待遇申领", department=department, name_en="Claiming a pension")
    second = make_item("失业保险金申领", department=department, name_en="Unemployment benefit")
    make_department("没有事项的部门", name_en="A department without items")

    listing = text(get(client, "/services/departments/", "en"))
    assert f'href="/services/departments/{department.credit_code}/"' in listing
    assert "A department without items" not in listing

    page = get(client, f"/services/departments/{department.credit_code}/", "en")
    body = text(page)
    assert department.address in body
    assert first.name_en in body
    assert second.name_en not in body
    next_url = re.search(r'<a href="(\?[^"]+)" rel="next">', body).group(1)
    body = text(
        client.get(
            f"/services/departments/{department.credit_code}/{next_url}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert second.name_en in body
    assert get(client, "/services/departments/000000000000000000/").status_code == 404


# --- Errors and language switch -----------------------------------------------------------


def test_server_error_page_needs_no_request_and_shows_no_details():
    with translation.override("pt"):
        body = render_to_string("500.html")
    assert '<html lang="pt">' in body
    assert "<h1>" in body
    assert "Traceback" not in body


def test_language_switcher_works_without_javascript(client, certificate):
    item_url = f"/services/{certificate.implementation_code}/"
    response = client.post("/i18n/setlang/", {"language": "pt", "next": item_url})
    assert response.status_code == 302
    assert response["Location"] == item_url
    page = client.get(item_url)
    assert html_lang(page) == "pt"
    assert "Impressão de certidão de contribuições para a segurança social" in text(page)
