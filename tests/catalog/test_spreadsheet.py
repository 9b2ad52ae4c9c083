"""Reading workbooks as Excel and other tools write them: shared strings, rich text, real date
and number cells, headers typed with half-width brackets or in traditional characters."""

import datetime as dt
import re
import zipfile

import pytest

from tongban.catalog import services
from tongban.catalog.models import ServiceItem

from .factories import credit_code, item_row, make_department, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.DOTALL)
EMPTY_INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr" ?/>')


def with_shared_strings(path):
    """Rewrite openpyxl's inline strings the way Excel stores text: a shared-string table,
    each entry split into two rich-text runs where that is safe."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: list[bytes] = []

    def shared(match):
        strings.append(match.group(2))
        return b'<c %s t="s"><v>%d</v></c>' % (match.group(1), len(strings) - 1)

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = EMPTY_INLINE.sub(rb"<c \1/>", INLINE.sub(shared, parts[sheet]))
    assert strings and b"inlineStr" not in parts[sheet]
    items = []
    for text in strings:
        half = len(text) // 2
        if b"&" in text or len(text) < 2 or not text.isascii():
            items.append(b'<si><t xml:space="preserve">%s</t></si>' % text)
        else:
            items.append(
                b"<si><r><t>%s</t></r><r><rPr><b/></rPr><t>%s</t></r></si>"
                % (text[:half], text[half:])
            )
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d">'
        % len(items)
        + b"".join(items)
        + b"</sst>"
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def department():
    return make_department(credit_code=credit_code(1))


def test_a_workbook_with_shared_strings_and_rich_text_imports_like_the_csv(tmp_path, department):
    rows = [item_row(1, 事项名称="Excel & 共享字符串"), item_row(2)]
    workbook = with_shared_strings(write_xlsx(tmp_path / "items.xlsx", rows))
    assert services.import_catalog(workbook).created == 2
    from_workbook = list(ServiceItem.objects.values().order_by("implementation_code"))

    ServiceItem.objects.all().delete()
    assert services.import_catalog(write_csv(tmp_path / "items.csv", rows)).created == 2
    from_csv = list(ServiceItem.objects.values().order_by("implementation_code"))

    def comparable(rows):
        return [
            {k: v for k, v in row.items() if k not in {"id", "created_at", "updated_at"}}
            for row in rows
        ]

    assert comparable(from_workbook) == comparable(from_csv)
    assert from_workbook[0]["name_zh_hans"] == "Excel & 共享字符串"


def test_date_and_number_cells_are_read_as_their_values(tmp_path, department):
    row = item_row(1, 进驻专区日期=dt.date(2023, 5, 6), 法定办结时限=20.0, 基本编码=110000000001)
    assert services.import_catalog(write_xlsx(tmp_path / "items.xlsx", [row])).created == 1

    item = ServiceItem.objects.get()
    assert item.entered_zones_on == dt.date(2023, 5, 6)
    assert (item.statutory_limit, item.basic_code) == (20, "110000000001")


def test_headers_with_half_width_brackets_or_traditional_characters_are_recognised(
    tmp_path, department
):
    row = {
        header.replace("（", "(").replace("）", ")").replace("事项名称", "事項名稱"): value
        for header, value in item_row(1).items()
    }
    path = tmp_path / "items.csv"
    path.write_text(
        ",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n", encoding="utf-8"
    )
    report = services.import_catalog(path)

    assert report.created == 1, report.problems
    assert ServiceItem.objects.get().name_en.startswith("Printing")


def test_title_rows_above_the_headers_are_skipped(tmp_path, department):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "items.xlsx", [item_row(1)])
    workbook = load_workbook(path)
    workbook.active.insert_rows(1, amount=2)
    workbook.active["A1"] = "江门市跨境通办事项实施清单"
    workbook.save(path)

    report = services.import_catalog(path)

    assert report.created == 1
    assert ServiceItem.objects.count() == 1


def test_problems_in_a_workbook_name_the_sheet_and_the_row_excel_shows(tmp_path, department):
    path = write_xlsx(
        tmp_path / "items.xlsx", {"清单": [item_row(1), item_row(2, 是否高频="也许")]}
    )
    problem = services.import_catalog(path).problems[0]

    assert (problem.sheet, problem.row, problem.column) == ("清单", 3, "是否高频")
