"""The inverted index on its own, without a database."""

from tongban.catalog.search import SearchIndex, document_tokens, query_tokens, query_variants
from tongban.core.text import fold


def row(item_id, zh, en="", pt="", *, high_frequency=False, scope="cross_border", topics=()):
    names = "\n".join([zh, en, pt])
    return {
        "id": item_id,
        "name_zh_hans": zh,
        "search_document": fold(names),
        "sub_item": "",
        "context": "",
        "high_frequency": high_frequency,
        "department_id": 1,
        "scope": scope,
        "for_persons": True,
        "for_companies": False,
        "topics": list(topics),
    }


ROWS = [
    row(
        1,
        "个人参保证明查询打印",
        "Printing of a personal social insurance certificate",
        "Impressão de certidão de contribuições para a segurança social",
        high_frequency=True,
    ),
    row(
        2,
        "单位参保证明查询打印",
        "Printing of an employer's social insurance certificate",
        "Impressão de certidão de segurança social da entidade empregadora",
    ),
    row(
        3,
        "住房公积金提取（购买自住住房）",
        "Housing provident fund withdrawal for buying a home",
        "Levantamento do fundo de previdência para habitação para compra de casa",
    ),
    row(
        4,
        "住房公积金提取（租房）",
        "Housing provident fund withdrawal for renting",
        "Levantamento do fundo de previdência para habitação para arrendamento",
    ),
    row(5, "结婚登记", "Marriage registration", "Registo de casamento", scope="province"),
]


# A few entries of the shipped dictionary (data/catalog/synonyms.csv), folded.
SYNONYMS = {"社保": ("参保", "社会保险"), "按揭": ("抵押",), "home return permit": ("mainland travel permit",)}


def index():
    return SearchIndex.build(1, ROWS, SYNONYMS)


def test_traditional_hong_kong_forms_find_the_simplified_item():
    assert index().search("參保證明")[0] == 1


def test_high_frequency_ranks_first_among_equals():
    assert index().search("参保证明")[:2] == [1, 2]


def test_partial_and_reordered_words_with_synonyms():
    assert index().search("社保证明")[0] in {1, 2}
    assert set(index().search("公积金提取")[:2]) == {3, 4}


def test_english_and_portuguese_without_accents_and_partial_words():
    assert index().search("provident fund")[:2] in ([3, 4], [4, 3])
    assert index().search("certidao seguranca social")[0] == 1
    assert 5 in index().search("marri")


def test_pinyin_initials_are_a_bonus():
    assert index().search("cbzm")[0] == 1


def test_nonsense_finds_nothing_and_empty_query_is_harmless():
    assert index().search("zzzz qqqq") == []
    assert index().search("   ") == []


def test_filters_restrict_results():
    assert index().search("结婚", filters={"scope": "province"}) == [5]
    assert index().search("结婚", filters={"scope": "city"}) == []


def test_tokens_and_variants():
    assert {"参保", "保证", "证明"} <= document_tokens(fold("个人参保证明"))
    assert query_tokens("社保证明") == ["社保", "保证", "证明"]
    assert "参保证明" in query_variants("社保证明", SYNONYMS)
    assert query_variants("社保证明", {}) == ["社保证明"]


def test_common_tokens_rank_exactly_as_a_full_scan(monkeypatch):
    from tongban.catalog import search

    districts = ["蓬江", "江海", "新会", "台山", "开平", "鹤山", "恩平"]
    rows = [
        row(n, f"{districts[n % 7]}第{n}号登记证明", f"Certificate of registration {n}", "")
        for n in range(1, 3001)
    ] + ROWS
    queries = ["参保证明", "社保登记证明", "registration certificate", "公积金提取", "证明"]
    fast = SearchIndex.build(1, rows)
    monkeypatch.setattr(search, "COMMON_POSTINGS", 10**9)
    full = SearchIndex.build(1, rows)
    assert any(len(p[0]) > 2000 for p in fast.postings.values())
    for query in queries:
        monkeypatch.setattr(search, "COMMON_POSTINGS", 2000)
        quick = fast.search(query)
        monkeypatch.setattr(search, "COMMON_POSTINGS", 10**9)
        assert quick == full.search(query), query
