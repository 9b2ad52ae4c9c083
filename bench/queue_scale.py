"""Benchmark: the reviewer's queue and an applicant's "my cases" over 1,000,000 cases (PostgreSQL).

Creates a fresh database, migrates it, and generates the cases with ``COPY`` (foreign-key
triggers off for the load: the generator makes consistent rows by construction), then ANALYZE.
The measurements call the service functions the API and pages call (``reviewer_queue``,
``my_cases``) in this process, on warm connections:

- the queue's first page for a reviewer (all open states, by due date), 20 pages walked by
  keyset cursor, one state only, and with a due-date filter;
- "my cases" for an applicant with 2,000 cases: the first page and 20 pages deep.

The floor is a primary-key lookup through the ORM on the same table in the same run; the plans
also give PostgreSQL's own execution time (EXPLAIN ANALYZE), without Python. Every SQL
statement the lists run is captured: none may contain ``COUNT(`` (no page counts the table), and
the JSON shows each query plan's top node. Target: p95 < 50 ms each.

    .venv/bin/python bench/queue_scale.py [--cases 1000000] [--keep]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = 40
ITEMS_PER_DEPARTMENT = 10
PERSONS = 100_000
HEAVY_APPLICANT_CASES = 2000
STATUS_WEIGHTS = {
    "closed": 55,
    "delivered": 5,
    "approved": 3,
    "denied": 1,
    "refused": 2,
    "withdrawn": 2,
    "draft": 3,
    "submitted": 6,
    "supplement_requested": 3,
    "accepted": 6,
    "in_review": 12,
    "special_procedure": 2,
}
ACCEPTED = {
    "accepted",
    "in_review",
    "special_procedure",
    "approved",
    "denied",
    "delivered",
    "closed",
}


def setup_django(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["TONGBAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    os.environ.setdefault("TONGBAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def make_world():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from stdnum.cn import uscc

    from tongban.accounts import services as accounts
    from tongban.accounts.constants import Role
    from tongban.catalog import constants as c
    from tongban.catalog.models import Department, ServiceItem

    call_command("migrate", verbosity=0)
    departments = []
    for n in range(DEPARTMENTS):
        base = f"11440700MB{n:07d}"
        departments.append(
            Department.objects.create(
                credit_code=base + uscc.calc_check_digit(base), name_zh_hans=f"江门市第{n}局"
            )
        )
    items = []
    for department in departments:
        for k in range(ITEMS_PER_DEPARTMENT):
            items.append(
                ServiceItem.objects.create(
                    implementation_code=f"{department.credit_code}3440700{k:05d}",
                    basic_code=f"{k:012d}",
                    name_zh_hans=f"事项{department.pk}-{k}",
                    name_zh_hant=f"事項{department.pk}-{k}",
                    name_en=f"Item {department.pk}-{k}",
                    name_pt=f"Item {department.pk}-{k}",
                    item_type=c.ItemType.LICENCE,
                    department=department,
                    level=c.Level.CITY,
                    handling_type=c.HandlingType.PROMISED,
                    statutory_limit=20,
                    statutory_unit=c.LimitUnit.WORKING_DAYS,
                    promised_limit=5,
                    promised_unit=c.LimitUnit.WORKING_DAYS,
                    visits=1,
                    channels=["online"],
                    scope=c.Scope.CROSS_BORDER,
                    legal_basis="—",
                    result_type=c.ResultType.OTHER,
                    entered_zones_on="2021-04-27",
                )
            )
    user_model = get_user_model()
    heavy = user_model.objects.create_user(email="heavy@example.com", password=None)
    heavy_person = accounts.register_person(user=heavy, name_en="HEAVY Applicant")
    reviewer = user_model.objects.create_user(email="reviewer@example.com", password=None)
    accounts.assign_role(reviewer, Role.DEPARTMENT_REVIEWER, department=departments[0])
    return departments, items, heavy, heavy_person, reviewer


def load_persons(connection, count: int) -> tuple[int, int]:
    now = dt.datetime.now(dt.UTC)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY accounts_person (name_zh, name_en, phone, email, preferred_language, address_region,"
            " address_lines, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        for n in range(count):
            copy.write_row(("", f"PERSON {n}", "", "", "zh-hant", "", "", now, now))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM accounts_person WHERE name_en LIKE 'PERSON %%'"
        )
        return cursor.fetchone()


def load_cases(connection, total: int, items, heavy_person, heavy_user, person_range) -> dict:
    from tongban.cases.models import Case

    rng = random.Random(20261121)
    fields = [f for f in Case._meta.concrete_fields if f.name != "id"]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        default = f.get_default() if f.has_default() else ("" if not f.null else None)
        defaults[f.column] = (
            json.dumps(default) if f.get_internal_type() == "JSONField" else default
        )
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    today = dt.date.today()
    per_year: dict[int, int] = {}
    heavy_every = max(1, total // HEAVY_APPLICANT_CASES)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        with cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy:
            for n in range(total):
                created = dt.datetime.combine(
                    today - dt.timedelta(days=730 * (total - n) // total), dt.time(9), dt.UTC
                ) + dt.timedelta(seconds=n % 30000)
                year = created.year
                per_year[year] = per_year.get(year, 0) + 1
                status = rng.choices(statuses, weights)[0]
                item = items[rng.randrange(len(items))]
                mine = n % heavy_every == 0
                row = dict(defaults)
                accepted = status in ACCEPTED
                statutory = (created + dt.timedelta(days=28 + rng.randrange(10))).date()
                row.update(
                    number=f"JM-{year}-{per_year[year]:06d}",
                    item_id=item.pk,
                    department_id=item.department_id,
                    applicant_person_id=heavy_person.pk if mine else rng.randint(*person_range),
                    submitted_by_id=heavy_user.pk,
                    channel="online",
                    status=status,
                    created_at=created,
                    updated_at=created,
                    submitted_at=None if status == "draft" else created,
                    materials_complete_at=None if status == "draft" else created,
                    accepted_at=created if accepted else None,
                    statutory_due=statutory if accepted else None,
                    promised_due=statutory - dt.timedelta(days=20) if accepted else None,
                    deadline_flag="overdue" if accepted and statutory < today else "on_time",
                )
                copy.write_row([row[c] for c in columns])
        cursor.execute("SET session_replication_role = DEFAULT")
        for year, value in per_year.items():
            cursor.execute(
                "INSERT INTO core_counter (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                (f"case-{year}", value),
            )
        cursor.execute("ANALYZE cases_case")
    return {"cases": total, "seconds": round(time.perf_counter() - started, 1)}


def timed(call, repeat: int) -> dict:
    call()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
    }


def plan_top(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        explained = cursor.fetchone()[0][0]
    plan, nodes = explained["Plan"], []
    while plan:
        label = plan["Node Type"] + (f" on {plan['Index Name']}" if "Index Name" in plan else "")
        nodes.append(label)
        plan = (plan.get("Plans") or [None])[0]
    # The database's own time for the query, without Python building the rows.
    return f"{' > '.join(nodes)} ({explained['Execution Time']:.2f} ms in PostgreSQL)"


def measure(reviewer, heavy_user, total: int, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongban.cases import services
    from tongban.cases.models import Case

    rng = random.Random(7)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()

    def floor():
        Case.objects.filter(pk=rng.randint(1, top)).first()

    def queue_walk():
        cursor = None
        for _ in range(20):
            _page, cursor = services.reviewer_queue(reviewer, after=cursor, limit=50)

    def mine_walk():
        cursor = None
        for _ in range(20):
            _page, cursor = services.my_cases(heavy_user, after=cursor, limit=20)

    soon = dt.date.today() + dt.timedelta(days=10)
    lists = {
        "queue_first_page": lambda: services.reviewer_queue(reviewer, limit=50),
        "queue_in_review": lambda: services.reviewer_queue(reviewer, status="in_review", limit=50),
        "queue_due_before": lambda: services.reviewer_queue(reviewer, due_before=soon, limit=50),
        "my_cases_first_page": lambda: services.my_cases(heavy_user, limit=20),
    }
    results = {"floor_pk_lookup": timed(floor, repeat)}
    plans, counted = {}, False
    for name, call in lists.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        case_queries = [q["sql"] for q in captured.captured_queries if "cases_case" in q["sql"]]
        counted = counted or any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
        results[name] = timed(call, repeat)
        sql, params = _last_case_query(call)
        plans[name] = plan_top(sql, params)
        results[name]["queries"] = len(case_queries)
    results["queue_20_pages_per_page"] = {
        k: round(v / 20, 2) for k, v in timed(queue_walk, max(5, repeat // 10)).items()
    }
    results["my_cases_20_pages_per_page"] = {
        k: round(v / 20, 2) for k, v in timed(mine_walk, max(5, repeat // 10)).items()
    }
    results["plans"] = plans
    results["any_query_counts_rows"] = counted
    return results


def _last_case_query(call):
    from django.db import connection

    recorded = []

    def wrapper(execute, sql, params, many, context):
        if "cases_case" in sql and sql.lstrip().upper().startswith("SELECT"):
            recorded.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        call()
    return recorded[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import tempfile

    import psycopg

    name = f"tongban_bench_queue_{os.getpid()}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
            setup_django(f"{args.server}/{name}", var_dir)
            from django.db import connection, transaction

            departments, items, heavy_user, heavy_person, reviewer = make_world()
            started = time.perf_counter()
            with transaction.atomic():
                person_range = load_persons(connection.connection, PERSONS)
            with transaction.atomic():
                loaded = load_cases(
                    connection.connection, args.cases, items, heavy_person, heavy_user, person_range
                )
            loaded["total_seconds"] = round(time.perf_counter() - started, 1)
            figures = measure(reviewer, heavy_user, args.cases, args.repeat)
            connection.close()
    finally:
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    slowest = max(
        figures[k]["p95_ms"]
        for k in ("queue_first_page", "queue_in_review", "queue_due_before", "my_cases_first_page")
    )
    print(
        json.dumps(
            {
                "bench": "queue_scale",
                "database": "postgresql",
                "load": loaded,
                **figures,
                "ratio_slowest_p95_to_floor_p95": round(
                    slowest / figures["floor_pk_lookup"]["p95_ms"], 2
                ),
                "target_p95_ms": 50,
                "meets_target": slowest < 50
                and figures["queue_20_pages_per_page"]["p95_ms"] < 50
                and figures["my_cases_20_pages_per_page"]["p95_ms"] < 50,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
