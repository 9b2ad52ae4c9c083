"""``tongban catalog import|export|stats|search`` as an operator uses them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tongban.catalog.models import ImportRun, ServiceItem
from tongban.core.locale import language_from_environment

from .factories import credit_code, item_row, make_department, make_item, write_csv

pytestmark = pytest.mark.django_db


def catalog(*args) -> str:
    out = io.StringIO()
    call_command(
        "catalog", "--language", "en", *[str(a) for a in args], stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


@pytest.fixture
def department():
    return make_department(credit_code=credit_code(1))


def test_import_writes_and_summarises(tmp_path, department):
    path = write_csv(tmp_path / "items.csv", [item_row(1), item_row(2)])
    output = catalog("import", path, "--actor", "editor")

    assert "Created: 2, updated: 0, unchanged: 0, rejected: 0." in output
    assert ServiceItem.objects.count() == 2
    assert ImportRun.objects.get().actor == "editor"


def test_a_refused_import_prints_the_row_report_and_exits_1(tmp_path, department):
    path = write_csv(tmp_path / "items.csv", [item_row(1), item_row(2, 法定办结时限=-5)])
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("catalog", "import", str(path), "--language", "en", stdout=out)

    assert refused.value.returncode == 1
    assert "Nothing was written" in str(refused.value)
    report = out.getvalue()
    assert "Row" in report and "Reason" in report
    line = next(line for line in report.splitlines() if "法定办结时限" in line)
    assert line.split()[:3] == ["3", "法定办结时限", "-5"]
    assert "negative" in line
    assert ServiceItem.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, department):
    path = write_csv(tmp_path / "items.csv", [item_row(1)])
    output = catalog("import", path, "--dry-run")

    assert "Created: 1" in output
    assert "Dry run: nothing was written." in output
    assert ServiceItem.objects.count() == 0


def test_skip_invalid_writes_the_rest(tmp_path, department):
    path = write_csv(tmp_path / "items.csv", [item_row(1), item_row(2, 事项类型="行政审批")])
    output = catalog("import", path, "--skip-invalid")

    assert "Created: 1, updated: 0, unchanged: 0, rejected: 1." in output
    assert "事项类型" in output
    assert ServiceItem.objects.count() == 1


def test_export_csv_to_standard_output_has_the_official_headers(department):
    make_item(department)
    output = catalog("export", "--format", "csv")

    header, first = output.splitlines()[:2]
    assert header.startswith("序号,事项名称,事项名称（繁体）,事项名称（英文）")
    assert ServiceItem.objects.get().implementation_code in first


def test_exported_workbook_imports_without_changes(tmp_path, department):
    make_item(department)
    path = tmp_path / "catalog.xlsx"
    catalog("export", "--format", "xlsx", "--output", path)

    assert "Created: 0, updated: 0, unchanged: 2, rejected: 0." in catalog("import", path)


def test_xlsx_to_a_text_stream_is_refused(department):
    with pytest.raises(CommandError, match="--output"):
        catalog("export", "--format", "xlsx")


def test_stats_json_is_one_object_with_the_figures(department):
    make_item(department, high_frequency=True)
    make_item(department, scope="province")
    figures = json.loads(catalog("stats", "--json"))

    assert figures["items"] == 2
    assert figures["departments"] == 1
    assert figures["province_wide"] == 1
    assert figures["high_frequency"] == 1
    assert {"new_this_year", "by_type"} <= figures.keys()
    assert figures["by_type"]["public_service"] == 2


def test_stats_without_json_is_a_table(department):
    make_item(department)
    assert "Items (active)" in catalog("stats")


def test_search_json_lists_codes_and_names(department):
    item = make_item(
        department, name_zh_hans="个人参保证明查询打印", name_zh_hant="個人參保證明查詢打印"
    )
    found = json.loads(catalog("search", "參保證明", "--limit", 5, "--json"))

    assert found[0]["implementation_code"] == item.implementation_code
    assert found[0]["names"]["zh_hant"] == "個人參保證明查詢打印"
    assert set(found[0]["names"]) == {"zh_hans", "zh_hant", "en", "pt"}


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh-hans"),
        ({"LANG": "C.UTF-8"}, "zh-hans"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_HK.UTF-8"}, "zh-hant"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANGUAGE": "pt_PT:en", "LANG": "zh_CN.UTF-8"}, "pt"),
        ({"LC_ALL": "zh_MO.UTF-8", "LANG": "en_US.UTF-8"}, "zh-hant"),
    ],
)
def test_the_message_language_follows_the_locale(environ, language):
    assert language_from_environment(environ) == language
