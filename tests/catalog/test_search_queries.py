"""What people type, and what they must find, over the shipped catalog.

Each row: a query as a Hong Kong, Macau or mainland user would type it, and the simplified
name of the item that must come first (``FIRST``) or appear in the top five (``TOP5``).
"""

import pytest
from django.db import transaction

from tongban.catalog import services

FIRST = [
    # Traditional (Hong Kong forms) and simplified
    ("參保證明", "个人参保证明查询打印"),
    ("个人参保证明", "个人参保证明查询打印"),
    ("社保证明", "个人参保证明查询打印"),
    ("社保證明", "个人参保证明查询打印"),
    ("公積金繳存證明", "住房公积金缴存证明打印"),
    ("完稅證明", "税收完税证明开具"),
    ("纳税记录", "个人所得税纳税记录开具"),
    ("港澳居民居住證申領", "港澳居民居住证申领"),
    ("無犯罪記錄證明", "无犯罪记录证明开具"),
    ("企業信用報告", "企业信用报告打印"),
    ("大湾区个税补贴", "大湾区个人所得税优惠补贴申报"),
    ("港澳驾驶证换领", "持港澳机动车驾驶证换领内地机动车驾驶证"),
    ("回乡证换发", "港澳居民来往内地通行证换发"),
    ("电子营业执照", "电子营业执照下载"),
    ("租房提取公积金", "租房提取住房公积金"),
    ("公积金租房提取", "租房提取住房公积金"),
    ("婚姻登记记录证明", "婚姻登记记录证明出具"),
    ("不动产登记资料权利人查询", "不动产登记资料权利人查询"),
    # English
    ("social insurance certificate", "个人参保证明查询打印"),
    ("tax payment certificate", "税收完税证明开具"),
    ("no criminal record", "无犯罪记录证明开具"),
    ("enterprise credit report", "企业信用报告打印"),
    ("residence permit application", "港澳居民居住证申领"),
    ("provident fund rent", "租房提取住房公积金"),
    ("Greater Bay Area income tax subsidy", "大湾区个人所得税优惠补贴申报"),
    # Portuguese, with and without accents
    ("certidão de pagamento de impostos", "税收完税证明开具"),
    ("certidao de pagamento de impostos", "税收完税证明开具"),
    ("registo criminal", "无犯罪记录证明开具"),
    ("autorização de residência pedido", "港澳居民居住证申领"),
    ("relatório de crédito", "企业信用报告打印"),
    # Hong Kong, Cantonese and Macau wording (the shipped synonym dictionary)
    ("查冊", "不动产登记资料权利人查询"),
    ("報稅", "境外人员个人所得税汇算清缴"),
    ("公司註冊", "港澳投资有限责任公司设立登记"),
    ("開公司", "港澳投资有限责任公司设立登记"),
    ("home return permit", "港澳居民来往内地通行证换发"),
    ("land search", "不动产登记资料权利人查询"),
    ("registo comercial", "港澳投资有限责任公司设立登记"),
]

TOP5 = [
    ("公积金提取", "购买自住住房提取住房公积金"),
    ("公積金提取", "偿还住房贷款提取住房公积金"),
    ("公积金提取", "港澳台人员与内地单位解除劳动关系销户提取住房公积金"),
    ("结婚登记", "内地居民与港澳居民结婚登记"),
    ("結婚登記", "内地居民与港澳居民结婚登记"),
    ("驾驶证", "机动车驾驶证补证"),
    ("出生医学证明", "出生医学证明补发"),
    ("医保缴费证明", "医保参保缴费凭证查询打印"),
    ("housing provident fund withdrawal", "偿还住房贷款提取住房公积金"),
    ("marriage registration", "内地居民与港澳居民结婚登记"),
    ("driving licence", "持港澳机动车驾驶证换领内地机动车驾驶证"),
    ("casamento", "内地居民与港澳居民结婚登记"),
    ("segurança social", "个人参保证明查询打印"),
    ("seguranca social certidao", "个人参保证明查询打印"),
    ("cbzm", "个人参保证明查询打印"),
    ("按揭", "抵押权首次登记（一般抵押）"),
    ("買樓 按揭", "抵押权首次登记（一般抵押）"),
    ("商業登記", "港澳投资有限责任公司设立登记"),
    ("商業登記", "港澳居民个体工商户设立登记"),
    ("salaries tax", "境外人员个人所得税汇算清缴"),
    ("人工稅", "个人所得税纳税记录开具"),
]


@pytest.fixture(scope="module")
def shipped_catalog(django_db_setup, django_db_blocker):
    # Loaded once for the module inside a transaction that is rolled back at the end, so
    # nothing (the audit trail's rows included, which cannot be deleted) outlives the module.
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            services.load_shipped_catalog(actor="tests")
            yield
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def names(query: str, limit: int = 5) -> list[str]:
    return [item.name_zh_hans for item in services.search_items(query, limit=limit)]


def test_the_table_is_large_enough():
    assert len(FIRST) + len(TOP5) >= 40


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_query_finds_item_first(shipped_catalog, query, expected):
    assert names(query)[:1] == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), TOP5)
def test_query_finds_item_in_top_five(shipped_catalog, query, expected):
    assert expected in names(query)


@pytest.mark.django_db
def test_withdrawal_variants_are_what_a_provident_fund_withdrawal_search_shows(shipped_catalog):
    found = names("公积金提取", limit=10)
    assert all("提取" in name and "公积金" in name for name in found)


@pytest.mark.django_db
def test_high_frequency_items_rank_first_among_equals(shipped_catalog):
    found = services.search_items("参保证明", limit=2)
    assert [item.high_frequency for item in found] == [True, False]


@pytest.mark.django_db
def test_nonsense_finds_nothing(shipped_catalog):
    assert names("xqzv wkpj") == []
