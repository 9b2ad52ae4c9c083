"""Builders for catalog tests: database rows and files in the official layout.

Shared by the import, command, page and API tests; keep the signatures stable.

- ``credit_code(n)`` a valid unified social credit code, distinct per ``n``
- ``make_department(**fields)`` / ``make_item(department=None, materials=1, **fields)``
  saved rows (``make_item`` links every zone and the social-insurance topic)
- ``department_row(**cells)`` / ``item_row(**cells)`` one row as {official header: cell}
- ``write_csv(path, rows)`` / ``write_xlsx(path, rows_or_sheets)`` files in the layout
  (the layout is recognised from the rows' headers)
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from tongban.catalog import constants as c
from tongban.catalog.models import Department, MaterialRequirement, ServiceItem, Topic, Zone
from tongban.catalog.spreadsheet import DEPARTMENT_HEADERS, ITEM_HEADERS

MATERIAL_LINE = "港澳居民来往内地通行证|Mainland Travel Permit for Hong Kong and Macao Residents|Salvo-conduto para Residentes de Hong Kong e Macau|证件证书证明|申请人自备|必要|纸质|1|1|出示原件"


def credit_code(n: int = 1) -> str:
    base = f"11440700{n:09d}"
    return base + uscc.calc_check_digit(base)


def item_code(department_code: str, n: int = 1) -> str:
    return f"{department_code}34407001{n:05d}"


def make_department(**fields: Any) -> Department:
    n = Department.objects.count() + 1
    values = {
        "credit_code": credit_code(n),
        "name_zh_hans": f"江门市测试局{n}",
        "name_zh_hant": f"江門市測試局{n}",
        "name_en": f"Jiangmen Test Bureau {n}",
        "name_pt": f"Direção de Teste de Jiangmen {n}",
        "level": c.Level.CITY,
        "address": "江门市蓬江区",
        "phone": "0750-1234567",
    }
    values.update(fields)
    return Department.objects.create(**values)


def make_item(department: Department | None = None, *, materials: int = 1, **fields: Any):
    department = department or make_department()
    n = ServiceItem.objects.count() + 1
    values = {
        "implementation_code": item_code(department.credit_code, n),
        "basic_code": f"11{n:010d}",
        "name_zh_hans": f"个人参保证明查询打印{n}",
        "name_zh_hant": f"個人參保證明查詢打印{n}",
        "name_en": f"Printing a social insurance certificate {n}",
        "name_pt": f"Impressão de certidão de segurança social {n}",
        "item_type": c.ItemType.PUBLIC_SERVICE,
        "department": department,
        "level": c.Level.CITY,
        "handling_type": c.HandlingType.PROMISED,
        "statutory_limit": 20,
        "statutory_unit": c.LimitUnit.WORKING_DAYS,
        "promised_limit": 5,
        "promised_unit": c.LimitUnit.WORKING_DAYS,
        "visits": 1,
        "channels": [c.Channel.COUNTER, c.Channel.ONLINE],
        "scope": c.Scope.CROSS_BORDER,
        "online": True,
        "online_depth": 3,
        "legal_basis": "《中华人民共和国社会保险法》",
        "result_type": c.ResultType.OTHER,
        "entered_zones_on": dt.date(2021, 4, 27),
    }
    values.update(fields)
    item = ServiceItem.objects.create(**values)
    item.zones.set(Zone.objects.all())
    item.topics.set(Topic.objects.filter(slug="social-insurance"))
    for position in range(1, materials + 1):
        MaterialRequirement.objects.create(
            item=item,
            position=position,
            name_zh_hans=f"身份证明{position}",
            name_zh_hant=f"身份證明{position}",
            material_type=c.MaterialType.CERTIFICATE,
            source=c.MaterialSource.APPLICANT,
            necessity=c.Necessity.REQUIRED,
            form=c.MaterialForm.PAPER,
        )
    return item


def department_row(**cells: Any) -> dict[str, Any]:
    row = {
        "部门名称": "江门市人力资源和社会保障局",
        "部门名称（繁体）": "",
        "部门名称（英文）": "Jiangmen Human Resources and Social Security Bureau",
        "部门名称（葡文）": "Direção dos Serviços de Recursos Humanos de Jiangmen",
        "统一社会信用代码": credit_code(1),
        "行使层级": "市级",
        "办公地址": "江门市蓬江区建设三路",
        "咨询电话": "0750-3000000",
    }
    row.update(cells)
    return row


def item_row(n: int = 1, **cells: Any) -> dict[str, Any]:
    """Item row ``n`` (its code and names differ per ``n``) of department ``credit_code(1)``."""
    department = cells.get("实施主体编码", credit_code(1))
    row = {
        "序号": n,
        "事项名称": f"个人参保证明查询打印（第{n}类）",
        "事项名称（繁体）": "",
        "事项名称（英文）": f"Printing a personal social insurance certificate, kind {n}",
        "事项名称（葡文）": f"Impressão de certidão de segurança social, tipo {n}",
        "基本编码": f"11{n:010d}",
        "实施编码": item_code(department, n),
        "业务办理项": "",
        "事项类型": "公共服务",
        "实施主体": "江门市人力资源和社会保障局",
        "实施主体编码": department,
        "行使层级": "市级",
        "主题分类": "社保",
        "服务对象": "自然人；法人",
        "通办范围": "全省",
        "办件类型": "承诺件",
        "法定办结时限": 20,
        "法定办结时限单位": "工作日",
        "法定办结时限说明": "",
        "承诺办结时限": 5,
        "承诺办结时限单位": "工作日",
        "承诺办结时限说明": "",
        "到办事现场次数": 1,
        "办理形式": "窗口办理；网上办理",
        "进驻专区": "JM；MO-1；MO-2；HK",
        "是否收费": "否",
        "收费标准": "",
        "是否支持预约": "是",
        "是否网办": "是",
        "网办深度": "三级",
        "设定依据": "《中华人民共和国社会保险法》第七十四条",
        "受理条件": "在江门市参加社会保险的人员。",
        "办理流程": "提出申请\n核验身份\n打印证明",
        "审批结果名称": "个人参保证明",
        "审批结果类型": "其他",
        "咨询电话": "0750-3000000",
        "投诉电话": "12345",
        "是否高频": "是",
        "进驻专区日期": "2021-04-27",
        "事项状态": "在用",
        "申请材料": MATERIAL_LINE,
    }
    row.update(cells)
    return row


def _headers_of(rows: list[dict[str, Any]]) -> list[str]:
    first = rows[0] if rows else {}
    layout = DEPARTMENT_HEADERS if "统一社会信用代码" in first else ITEM_HEADERS
    extra = [h for h in first if h not in layout]
    return [h for h in layout if h in first] + extra


def write_csv(path: Path, rows: list[dict[str, Any]], *, encoding: str = "utf-8") -> Path:
    headers = _headers_of(rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, Any]]] | list[dict[str, Any]]) -> Path:
    """A workbook with one sheet per entry of ``sheets`` (a list of rows: one sheet)."""
    from openpyxl import Workbook

    if isinstance(sheets, list):
        sheets = {"Sheet1": sheets}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        headers = _headers_of(rows)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path
