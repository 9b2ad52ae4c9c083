"""Benchmark: importing a 50,000-row items workbook (.xlsx) into a fresh SQLite database.

The floor is openpyxl itself reading every cell of the same workbook (read-only mode) in
the same run, so the ratio survives a slow or busy machine. Prints one JSON line.

    .venv/bin/python bench/catalog_import.py [--rows 50000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_ROWS_PER_S = 2000
DEPARTMENT_COUNT = 24

SUBJECTS = [
    "个人参保证明", "社会保险关系转移", "失业保险金", "养老保险待遇", "工伤认定", "住房公积金",
    "公积金贷款", "不动产登记", "房屋租赁备案", "营业执照", "食品经营许可", "药品零售许可",
    "道路运输经营许可", "建筑工程施工许可", "出入境证件", "港澳通行证", "户籍迁移", "结婚登记",
    "学历认证", "职业资格证书", "人才引进", "创业担保贷款", "医疗保险关系", "异地就医备案",
    "纳税证明", "发票领用", "税务登记", "卫生许可证", "执业医师注册", "护士执业注册",
    "机动车驾驶证", "机动车登记", "公证书", "法律援助", "旅行社设立", "娱乐场所经营许可",
    "最低生活保障", "残疾人证", "殡葬服务", "社会组织登记",
]  # fmt: skip
ACTIONS = [
    "申请", "变更", "注销", "补办", "延续", "查询打印", "核准", "备案", "审核", "转移",
    "提取", "年检", "认定", "换领", "撤销",
]  # fmt: skip
PLACES = ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
TOPICS = ["社保", "公积金", "不动产", "开办企业", "经营许可", "出入境", "纳税", "医保", "人才"]
UNITS = ["工作日", "自然日"]
MATERIALS = [
    "港澳居民来往内地通行证|Mainland Travel Permit|Salvo-conduto|证件证书证明|申请人自备|必要|纸质|1|1|出示原件",
    "申请表|Application form|Formulário de pedido|申请表格文书|申请人自备|必要|纸质；电子|1|0|",
    "授权委托书|Power of attorney|Procuração|申请表格文书|申请人自备|非必要|纸质|1|0|在香港签署的须经中国委托公证人公证",
    "营业执照|Business licence|Licença comercial|证件证书证明|政府部门核发|容缺后补|电子|0|1|",
]  # fmt: skip


def setup_django(directory: Path) -> None:
    os.environ["TONGBAN_VAR_DIR"] = str(directory / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def credit_code(n: int) -> str:
    from stdnum.cn import uscc

    base = f"11440700{n:09d}"
    return base + uscc.calc_check_digit(base)


def department_rows() -> list[list]:
    return [
        [
            f"江门市测试局{n}",
            "",
            f"Jiangmen Bench Bureau {n}",
            f"Direção de Jiangmen {n}",
            credit_code(n),
            "市级",
            "江门市蓬江区",
            "0750-3000000",
        ]
        for n in range(1, DEPARTMENT_COUNT + 1)
    ]


def item_row(n: int) -> list:
    """Row ``n``: a realistic item whose name, limits, topics and materials vary with ``n``."""
    subject = SUBJECTS[n % len(SUBJECTS)]
    action = ACTIONS[(n // len(SUBJECTS)) % len(ACTIONS)]
    place = PLACES[(n // 600) % len(PLACES)]
    department = n % DEPARTMENT_COUNT + 1
    code = credit_code(department)
    on_the_spot = n % 5 == 0
    statutory = 0 if on_the_spot else 5 + n % 56
    promised = 0 if on_the_spot else max(1, statutory // 3)
    unit = UNITS[n % 2]
    online = n % 3 != 0
    materials = "\n".join(MATERIALS[: 1 + n % len(MATERIALS)])
    return [
        n,
        f"{subject}{action}（{place}）",
        "",
        f"{subject} {action} in {place}, service {n}",
        f"Serviço {n}: {subject} {action}",
        f"{n % 12:02d}{n:010d}",
        f"{code}34407{department:03d}{n:05d}",
        "" if n % 4 else f"{action}（港澳居民）",
        "公共服务" if n % 2 else "行政许可",
        f"江门市测试局{department}",
        code,
        "市级",
        "；".join({TOPICS[n % len(TOPICS)], TOPICS[(n // 7) % len(TOPICS)]}),
        ["自然人", "法人", "自然人；法人"][n % 3],
        ["全市", "跨境", "全省"][n % 3],
        "即办件" if on_the_spot else "承诺件",
        statutory,
        unit,
        "",
        promised,
        unit,
        "",
        n % 3,
        "窗口办理；网上办理" if online else "窗口办理；快递办理",
        "JM；MO-1；MO-2；HK" if n % 2 else "JM；HK",
        "是" if n % 10 == 0 else "否",
        "按件收取工本费 80 元" if n % 10 == 0 else "",
        "是",
        "是" if online else "否",
        ["一级", "二级", "三级", "四级"][n % 4] if online else "",
        "《中华人民共和国行政许可法》第二十九条",
        "符合法定条件的港澳居民及企业。",
        "提出申请\n受理审查\n作出决定\n送达结果",
        f"{subject}{action}结果",
        ["证照", "批文", "其他"][n % 3],
        "0750-3000000",
        "12345",
        "是" if n % 9 == 0 else "否",
        f"{2021 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 6 else "2021-04-27",
        "在用" if n % 50 else "暂停",
        materials,
    ]


def build_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from tongban.catalog.spreadsheet import ITEM_HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("事项")
    sheet.append(list(ITEM_HEADERS))
    for n in range(1, rows + 1):
        sheet.append(item_row(n))
    workbook.save(path)


def read_floor(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) openpyxl needs to read every cell of ``path`` in read-only mode."""
    import openpyxl

    started, cpu_started = time.perf_counter(), time.process_time()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    workbook.close()
    return time.perf_counter() - started, time.process_time() - cpu_started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="tongban-bench-import-"))
    try:
        setup_django(directory)
        from django.conf import settings

        from tongban.catalog import services
        from tongban.catalog.models import ServiceItem
        from tongban.catalog.spreadsheet import TableKind
        from tongban.catalog.spreadsheet_writer import write_tables

        departments = directory / "departments.csv"
        with departments.open("wb") as stream:
            write_tables("csv", stream, [(TableKind.DEPARTMENTS, department_rows())])
        services.import_catalog(departments, actor="bench")

        workbook = directory / "items.xlsx"
        build_workbook(workbook, args.rows)
        settings.TONGBAN_IMPORT_MAX_BYTES = max(
            settings.TONGBAN_IMPORT_MAX_BYTES, workbook.stat().st_size + 1
        )

        floor_seconds, floor_cpu_seconds = read_floor(workbook)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = services.import_catalog(workbook, actor="bench")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        if report.refused or report.created != args.rows:
            print(
                json.dumps(
                    {"bench": "catalog_import", "error": [str(p) for p in report.problems[:5]]}
                )
            )
            return 1
        assert ServiceItem.objects.count() == args.rows

        rows_per_s = args.rows / seconds
        floor_rows_per_s = args.rows / floor_seconds
        print(
            json.dumps(
                {
                    "bench": "catalog_import",
                    "rows": args.rows,
                    "file_bytes": workbook.stat().st_size,
                    "seconds": round(seconds, 2),
                    "rows_per_s": round(rows_per_s),
                    "floor_rows_per_s": round(floor_rows_per_s),
                    "ratio_to_floor": round(rows_per_s / floor_rows_per_s, 3),
                    # CPU time: what the import costs when the machine is shared
                    "cpu_seconds": round(cpu_seconds, 2),
                    "cpu_rows_per_s": round(args.rows / cpu_seconds),
                    "floor_cpu_rows_per_s": round(args.rows / floor_cpu_seconds),
                    "target_rows_per_s": TARGET_ROWS_PER_S,
                }
            )
        )
        return 0
    finally:
        if args.keep:
            print(f"kept {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
