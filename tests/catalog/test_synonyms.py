"""The search-synonym dictionary is data: it round-trips through export and import, bad rows
are refused with their row and reason, and a change is found by the next search."""

import io
import json

import pytest

from tongban.catalog import services
from tongban.catalog.models import SearchSynonym

from .factories import make_item

pytestmark = pytest.mark.django_db

HEADER = "说法,目录用语,说明\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_dictionary_round_trips_through_export_and_import(tmp_path):
    source = (
        HEADER
        + "查冊,不动产登记资料查询；权利人查询,香港用语\nhome return permit,mainland travel permit,\n"
    )
    report = services.import_catalog(write(tmp_path, "synonyms.csv", source))
    assert report.written and report.created == 2
    stored = {s.term: s.alternatives for s in SearchSynonym.objects.all()}
    assert stored == {
        "查册": ["不动产登记资料查询", "权利人查询"],
        "home return permit": ["mainland travel permit"],
    }
    exported = io.BytesIO()
    services.export_catalog("json", exported)
    document = json.loads(exported.getvalue())
    assert "synonyms" in json.dumps(document, ensure_ascii=False) or "同义词" in json.dumps(
        document, ensure_ascii=False
    )
    path = tmp_path / "catalog.json"
    path.write_bytes(exported.getvalue())
    again = services.import_catalog(path)
    assert again.written and again.created == 0 and again.updated == 0
    csv_out = io.BytesIO()
    services.export_catalog("csv", csv_out, table="synonyms")
    assert csv_out.getvalue().decode("utf-8-sig").startswith("说法,目录用语,说明")


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (",抵押,", "说法"),
        ("按揭,,", "目录用语"),
        ("按揭,按揭,", "目录用语"),
        ("按揭," + "；".join(f"词{n}" for n in range(9)) + ",", "目录用语"),
    ],
)
def test_bad_rows_are_refused_with_row_column_and_reason_and_nothing_changes(tmp_path, row, column):
    report = services.import_catalog(write(tmp_path, "synonyms.csv", HEADER + row + "\n"))
    assert report.refused and not report.written
    assert [(p.row, p.column) for p in report.problems] == [(2, column)]
    assert not SearchSynonym.objects.exists()


def test_a_word_twice_in_one_file_is_refused(tmp_path):
    report = services.import_catalog(
        write(tmp_path, "synonyms.csv", HEADER + "按揭,抵押,\n按揭,贷款,\n")
    )
    assert report.refused and [p.row for p in report.problems] == [3]


def test_a_new_synonym_is_found_by_the_next_search(tmp_path):
    item = make_item(name_zh_hans="抵押权首次登记", name_en="First registration of a mortgage")
    assert services.search_items("按揭") == []
    services.import_catalog(write(tmp_path, "synonyms.csv", HEADER + "按揭,抵押,港澳用语\n"))
    assert [found.pk for found in services.search_items("按揭")] == [item.pk]
    SearchSynonym.objects.all().delete()
    assert services.search_items("按揭") == []
