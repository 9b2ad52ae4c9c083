"""Importing the catalog: what a catalog editor sees when a file is good, and when it is not."""

import io

import pytest
from django.test import override_settings

from tongban.catalog import services
from tongban.catalog.models import Department, ImportRun, MaterialRequirement, ServiceItem

from .factories import (
    MATERIAL_LINE,
    credit_code,
    department_row,
    item_row,
    make_department,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return make_department(credit_code=credit_code(1), name_zh_hans="江门市人力资源和社会保障局")


def items_csv(tmp_path, *rows, name="items.csv"):
    return write_csv(tmp_path / name, list(rows) or [item_row(1)])


def run(path, **options):
    """Import with English messages, the language these tests read."""
    return services.import_catalog(path, language="en", **options)


def assert_refused(report, *, column=None, says=None, row=None):
    """The import was refused, wrote nothing, and explains itself."""
    assert report.refused
    assert not report.written
    assert ServiceItem.objects.count() == 0
    assert ImportRun.objects.count() == 0
    problem = next(p for p in report.problems if column is None or p.column == column)
    if says:
        assert says in problem.reason
    if row is not None:
        assert problem.row == row
    return problem


# --- Good files ----------------------------------------------------------------------------


def test_import_creates_items_with_everything_a_row_says(tmp_path, department):
    report = services.import_catalog(items_csv(tmp_path, item_row(1), item_row(2)), actor="editor")

    assert (report.created, report.updated, report.unchanged, report.rejected) == (2, 0, 0, 0)
    item = ServiceItem.objects.get(implementation_code=item_row(1)["实施编码"])
    assert item.department == department
    assert item.name_en == "Printing a personal social insurance certificate, kind 1"
    assert item.item_type == "public_service"
    assert item.scope == "province"
    assert (item.statutory_limit, item.statutory_unit) == (20, "working_days")
    assert (item.promised_limit, item.promised_unit) == (5, "working_days")
    assert item.channels == ["counter", "online"]
    assert (item.online, item.online_depth) == (True, 3)
    assert (item.for_persons, item.for_companies) == (True, True)
    assert item.process_steps == ["提出申请", "核验身份", "打印证明"]
    assert item.entered_zones_on.isoformat() == "2021-04-27"
    assert sorted(z.code for z in item.zones.all()) == ["HK", "JM", "MO-1", "MO-2"]
    assert [t.slug for t in item.topics.all()] == ["social-insurance"]
    material = item.materials.get()
    assert material.name_en == "Mainland Travel Permit for Hong Kong and Macao Residents"
    assert (material.necessity, material.form, material.originals, material.copies) == (
        "required",
        "paper",
        1,
        1,
    )
    run = ImportRun.objects.get()
    assert (run.actor, run.file_name, run.created) == ("editor", "items.csv", 2)
    assert len(run.file_sha256) == 64


def test_blank_traditional_names_are_generated_in_hong_kong_forms(tmp_path, department):
    services.import_catalog(
        items_csv(
            tmp_path,
            item_row(
                1,
                事项名称="住房公积金提取",
                申请材料="身份证明|||证件证书证明|申请人自备|必要|纸质|1|0|",
            ),
        )
    )

    item = ServiceItem.objects.get()
    assert item.name_zh_hant == "住房公積金提取"
    assert item.materials.get().name_zh_hant == "身份證明"


def test_traditional_vocabulary_is_accepted(tmp_path, department):
    row = item_row(
        1,
        事项类型="行政許可",
        主题分类="社保；公積金",
        办件类型="承諾件",
        法定办结时限单位="工作日",
    )
    report = services.import_catalog(items_csv(tmp_path, row))

    assert report.created == 1
    item = ServiceItem.objects.get()
    assert item.item_type == "licence"
    assert sorted(t.slug for t in item.topics.all()) == ["provident-fund", "social-insurance"]


def test_less_than_sign_in_plain_text_is_not_markup(tmp_path, department):
    row = item_row(1, 承诺办结时限说明="材料齐全时 <= 5 个工作日；x < y")
    assert services.import_catalog(items_csv(tmp_path, row)).created == 1


def test_csv_with_byte_order_mark_is_read(tmp_path, department):
    path = write_csv(tmp_path / "items.csv", [item_row(1)], encoding="utf-8-sig")
    assert services.import_catalog(path).created == 1


def test_reimporting_the_same_file_changes_nothing(tmp_path, department):
    path = items_csv(tmp_path, item_row(1), item_row(2))
    services.import_catalog(path)
    before = dict(ServiceItem.objects.values_list("implementation_code", "updated_at"))
    materials = set(MaterialRequirement.objects.values_list("id", flat=True))

    report = services.import_catalog(path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert dict(ServiceItem.objects.values_list("implementation_code", "updated_at")) == before
    assert set(MaterialRequirement.objects.values_list("id", flat=True)) == materials


def test_a_changed_row_updates_its_item_and_keeps_unchanged_materials(tmp_path, department):
    services.import_catalog(items_csv(tmp_path, item_row(1), item_row(2)))
    materials = set(MaterialRequirement.objects.values_list("id", flat=True))

    changed = item_row(2, 事项名称="个人参保证明补打", 承诺办结时限=3)
    report = services.import_catalog(items_csv(tmp_path, item_row(1), changed))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    item = ServiceItem.objects.get(implementation_code=changed["实施编码"])
    assert (item.name_zh_hans, item.name_zh_hant, item.promised_limit) == (
        "个人参保证明补打",
        "個人參保證明補打",
        3,
    )
    assert set(MaterialRequirement.objects.values_list("id", flat=True)) == materials


def test_changed_materials_are_replaced(tmp_path, department):
    services.import_catalog(items_csv(tmp_path))
    second = "申请表|Application form|Formulário|申请表格文书|申请人自备|容缺后补|电子|0|0|"
    report = services.import_catalog(
        items_csv(tmp_path, item_row(1, 申请材料=f"{MATERIAL_LINE}\n{second}"))
    )

    assert report.updated == 1
    names = list(ServiceItem.objects.get().materials.values_list("name_zh_hans", "necessity"))
    assert names == [("港澳居民来往内地通行证", "required"), ("申请表", "may_follow")]


def test_a_reviewed_traditional_name_survives_a_reimport_without_one(tmp_path, department):
    path = items_csv(tmp_path)
    services.import_catalog(path)
    ServiceItem.objects.update(name_zh_hant="個人參保證明查詢列印（第1類）")

    assert services.import_catalog(path).unchanged == 1
    assert ServiceItem.objects.get().name_zh_hant == "個人參保證明查詢列印（第1類）"


def test_departments_file_creates_departments_with_generated_traditional_names(tmp_path):
    path = write_csv(tmp_path / "departments.csv", [department_row()])
    report = services.import_catalog(path)

    assert report.created == 1
    department = Department.objects.get()
    assert department.name_zh_hant == "江門市人力資源和社會保障局"
    assert services.import_catalog(path).unchanged == 1


def test_a_workbook_may_hold_departments_and_their_items(tmp_path):
    path = write_xlsx(
        tmp_path / "catalog.xlsx", {"事项": [item_row(1)], "实施主体": [department_row()]}
    )
    report = services.import_catalog(path)

    assert report.created == 2
    assert ServiceItem.objects.get().department.credit_code == credit_code(1)


def test_an_import_moves_the_search_revision_once(tmp_path, department):
    before = services.catalog_revision()
    services.import_catalog(items_csv(tmp_path, *[item_row(n) for n in range(1, 6)]))
    assert services.catalog_revision() == before + 1


# --- Dry run and skip-invalid --------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path, department):
    report = run(items_csv(tmp_path, item_row(1), item_row(2)), dry_run=True)

    assert (report.created, report.dry_run, report.written) == (2, True, False)
    assert ServiceItem.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(tmp_path, department):
    rows = [item_row(1), item_row(2, 法定办结时限=-1), item_row(3)]
    report = run(items_csv(tmp_path, *rows), skip_invalid=True)

    assert (report.created, report.rejected, report.written) == (2, 1, True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "法定办结时限")]
    assert ServiceItem.objects.count() == 2
    assert ImportRun.objects.get().rejected == 1


def test_every_problem_in_the_file_is_reported_at_once(tmp_path, department):
    rows = [
        item_row(1, 事项类型="行政审批"),
        item_row(2),
        item_row(3, 是否高频="有时", 进驻专区日期="2020-01-01"),
    ]
    report = run(items_csv(tmp_path, *rows))

    assert_refused(report)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "事项类型"),
        (4, "是否高频"),
        (4, "进驻专区日期"),
    ]
    assert report.rejected == 2


# --- Bad files -----------------------------------------------------------------------------


def test_missing_and_unknown_columns_are_named(tmp_path, department):
    row = item_row(1)
    del row["事项类型"]
    row["备注"] = "x"
    problem = assert_refused(run(items_csv(tmp_path, row)))
    assert "事项类型" in problem.reason
    assert "备注" in problem.reason
    assert problem.row is None


def test_a_file_without_official_headers_is_refused(tmp_path, department):
    path = tmp_path / "items.csv"
    path.write_text("name,code\nfoo,1\n", encoding="utf-8")
    problem = assert_refused(run(path))
    assert "实施编码" in problem.reason


def test_a_header_only_file_is_refused(tmp_path, department):
    path = items_csv(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert_refused(run(path), says="no rows")


def test_duplicate_implementation_codes_in_one_file_are_refused(tmp_path, department):
    rows = [item_row(1), item_row(2), item_row(3, 实施编码=item_row(1)["实施编码"])]
    report = run(items_csv(tmp_path, *rows))

    assert_refused(report, column="实施编码", says="more than once")
    assert sorted(p.row for p in report.problems) == [2, 4]


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"法定办结时限": -1}, "法定办结时限", "negative"),
        ({"承诺办结时限": "1.5"}, "承诺办结时限", "whole number"),
        ({"法定办结时限": 731}, "法定办结时限", "Implausibly long"),
        (
            {"法定办结时限": 721, "法定办结时限单位": "小时", "承诺办结时限单位": "小时"},
            "法定办结时限",
            "Implausibly long",
        ),
        (
            {
                "法定办结时限": 37,
                "法定办结时限单位": "月",
                "承诺办结时限": 1,
                "承诺办结时限单位": "月",
            },
            "法定办结时限",
            "Implausibly long",
        ),
        ({"法定办结时限": 800, "法定办结时限单位": "自然日"}, "法定办结时限", "Implausibly long"),
        ({"法定办结时限单位": "周"}, "法定办结时限单位", "工作日"),
        ({"承诺办结时限": 30}, "承诺办结时限", "promised limit cannot be longer"),
        ({"办件类型": "即办件"}, "法定办结时限", "on the spot"),
        ({"到办事现场次数": 3}, "到办事现场次数", "at most 2"),
        ({"事项类型": "行政审批"}, "事项类型", "行政许可"),
        ({"通办范围": "全国"}, "通办范围", "全省"),
        ({"服务对象": ""}, "服务对象", "must not be empty"),
        ({"办理形式": "窗口办理；上门办理"}, "办理形式", "视频办理"),
        ({"主题分类": "旅游"}, "主题分类", "文化旅游"),
        ({"进驻专区": "JM；SZ"}, "进驻专区", "Unknown zone"),
        ({"是否收费": "Y"}, "是否收费", "是"),
        ({"网办深度": "五级"}, "网办深度", "四级"),
        ({"是否网办": "否"}, "网办深度", "online depth"),
        ({"进驻专区日期": "2020-12-31"}, "进驻专区日期", "2021-04-27"),
        ({"进驻专区日期": "去年"}, "进驻专区日期", "YYYY-MM-DD"),
        ({"事项名称": ""}, "事项名称", "must not be empty"),
        ({"设定依据": ""}, "设定依据", "must not be empty"),
        ({"事项名称": "长" * 201}, "事项名称", "at most 200"),
        ({"基本编码": "12345"}, "基本编码", "12 digits"),
        ({"实施编码": "123"}, "实施编码", "13 digits"),
        ({"实施主体编码": "91440700MA4UXXXXX1"}, "实施主体编码", "credit code"),
        ({"实施主体编码": credit_code(9)}, "实施主体编码", "No department"),
        ({"申请材料": "只有名称|Only a name"}, "申请材料", "10"),
        ({"申请材料": MATERIAL_LINE.replace("必要", "可选")}, "申请材料", "容缺后补"),
        ({"申请材料": MATERIAL_LINE.replace("|1|1|", "|1|-1|")}, "申请材料", "0 to 99"),
        ({"事项名称": "<script>alert(1)</script>"}, "事项名称", "HTML"),
        ({"受理条件": "申请人须<b>本人</b>到场"}, "受理条件", "HTML"),
        ({"收费标准": '<img src=x onerror="alert(1)">'}, "收费标准", "HTML"),
        ({"收费标准": '=HYPERLINK("http://example.com")'}, "收费标准", "Formula"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(tmp_path, department, cells, column, says):
    row = item_row(1, **cells)
    if "实施主体编码" in cells and cells["实施主体编码"] != credit_code(1):
        row["实施编码"] = cells["实施主体编码"] + "3440700100001"
    report = run(items_csv(tmp_path, row))

    problem = assert_refused(report, column=column, says=says, row=2)
    assert problem.value.rstrip("…") in str(row[column])


def test_the_longest_plausible_limits_are_accepted(tmp_path, department):
    row = item_row(1, 法定办结时限=730, 承诺办结时限=730, 办件类型="承诺件")
    assert run(items_csv(tmp_path, row)).created == 1


def test_an_invalid_credit_code_in_a_departments_file_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "departments.csv", [department_row(统一社会信用代码="114407000000123450")]
    )
    report = run(path)

    assert report.refused
    assert report.problems[0].column == "统一社会信用代码"
    assert Department.objects.count() == 0


def test_a_formula_cell_in_a_workbook_is_refused_not_evaluated(tmp_path, department):
    path = write_xlsx(tmp_path / "items.xlsx", [item_row(1, 法定办结时限="=10+10")])
    problem = assert_refused(run(path), column="法定办结时限")
    assert "Formula" in problem.reason
    assert problem.value == "=10+10"


def test_a_truncated_workbook_is_refused_clearly(tmp_path, department):
    path = write_xlsx(tmp_path / "items.xlsx", [item_row(n) for n in range(1, 30)])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert_refused(run(path), says="damaged")


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(tmp_path, department):
    path = tmp_path / "items.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert_refused(run(path), says="damaged")


def test_a_gbk_csv_is_refused_with_a_hint_to_save_as_utf8(tmp_path, department):
    row = item_row(1, **{"事项名称（葡文）": "Impressao de certidao"})
    path = write_csv(tmp_path / "items.csv", [row], encoding="gbk")
    problem = assert_refused(run(path))
    assert "GBK" in problem.reason
    assert "UTF-8" in problem.reason


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path, department):
    path = tmp_path / "items.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    assert_refused(run(path), says="refused")


@override_settings(TONGBAN_IMPORT_MAX_BYTES=1000)
def test_the_size_limit_is_a_setting(tmp_path, department):
    assert_refused(run(items_csv(tmp_path, item_row(1))), says="1000")


# --- Export round trip ---------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_importing_an_export_changes_nothing(tmp_path, department, export_format):
    run(items_csv(tmp_path, item_row(1), item_row(2, 网办深度="", 是否网办="否", 进驻专区="")))
    ServiceItem.objects.filter(implementation_code=item_row(1)["实施编码"]).update(
        name_zh_hant="個人參保證明查詢列印"
    )
    buffer = io.BytesIO()
    services.export_catalog(export_format, buffer)
    path = tmp_path / f"export.{export_format}"
    path.write_bytes(buffer.getvalue())

    report = run(path)

    assert not report.problems
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == (2 if export_format == "csv" else 3)  # workbooks hold departments


def test_progress_is_reported_up_to_the_last_row(tmp_path, department):
    seen = []
    services.import_catalog(
        items_csv(tmp_path, *[item_row(n) for n in range(1, 4)]),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (3, 3)


def test_a_refused_cell_gets_one_reason_not_also_empty(tmp_path, department):
    report = run(items_csv(tmp_path, item_row(1, 事项名称="<b>粗体</b>", 法定办结时限="=A1")))

    assert [(p.column, p.reason.split()[0]) for p in report.problems] == [
        ("事项名称", "HTML"),
        ("法定办结时限", "Formulas"),
    ]
