"""Benchmark: case submissions with three attachments over HTTP on PostgreSQL, 32 clients.

Creates a fresh PostgreSQL database (``--server``, default postgres://postgres@127.0.0.1:5432),
prepares one item with three required materials and one signed-in applicant per client (a
session cookie and a CSRF token, exactly what the pages' own requests carry), starts
``tongban serve`` on it, and measures one *submission* as the five requests an applicant's
browser makes: create the draft (with an ``Idempotency-Key``), upload a PDF, a JPEG and a PNG
(each checked, re-encoded and stored), and submit. Each client then repeats its last submit
with the same key, as a double click would; afterwards the database must hold exactly one
submitted case per submission — none lost, none twice — with gap-free numbers.

The floor (same server, same run): a trivial insert view would cost one trivial request plus
one committed INSERT. We do not ship a public write endpoint for the benchmark's sake, so the
floor is measured in two parts at the same concurrency — ``/healthz`` (one ``SELECT 1``) over
HTTP, and a raw ``INSERT … ; COMMIT`` loop on 32 connections into a scratch table — and combined
as ``1 / (1/healthz_rps + 1/insert_rps)`` operations per second. ``ratio_to_floor`` is
submissions/s divided by that; ``request_ratio_to_floor`` counts each of the five requests.

    .venv/bin/python bench/case_submit.py [--clients 32] [--per-client 10] [--keep]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "tongbanbench7f3a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Inside the bench database (run as a subprocess with DATABASE_URL set) -------------------


def prepare(clients: int) -> None:
    import django

    django.setup()
    from allauth.mfa.models import Authenticator  # noqa: F401  (models loaded)
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from stdnum.cn import uscc

    from tongban.accounts import services as accounts
    from tongban.accounts.constants import ConsentPurpose
    from tongban.catalog import constants as c
    from tongban.catalog.models import Department, MaterialRequirement, ServiceItem

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    base = "11440700MB2C9421"
    department = Department.objects.create(
        credit_code=base + "7" + uscc.calc_check_digit(base + "7"), name_zh_hans="江门市测试局"
    )
    item = ServiceItem.objects.create(
        implementation_code=department.credit_code + "344070010001",
        basic_code="110000000001",
        name_zh_hans="房屋租赁登记备案",
        name_zh_hant="房屋租賃登記備案",
        name_en="Tenancy registration",
        name_pt="Registo de arrendamento",
        item_type=c.ItemType.CONFIRMATION,
        department=department,
        level=c.Level.CITY,
        handling_type=c.HandlingType.PROMISED,
        statutory_limit=20,
        statutory_unit=c.LimitUnit.WORKING_DAYS,
        promised_limit=5,
        promised_unit=c.LimitUnit.WORKING_DAYS,
        visits=0,
        channels=[c.Channel.ONLINE, c.Channel.COUNTER],
        scope=c.Scope.CROSS_BORDER,
        online=True,
        online_depth=4,
        legal_basis="《商品房屋租赁管理办法》",
        result_type=c.ResultType.OTHER,
        entered_zones_on="2021-04-27",
    )
    for position, name in enumerate(["港澳居民来往内地通行证", "房屋租赁合同", "房屋照片"], 1):
        MaterialRequirement.objects.create(
            item=item,
            position=position,
            name_zh_hans=name,
            name_zh_hant=name,
            material_type=c.MaterialType.OTHER,
            source=c.MaterialSource.APPLICANT,
            necessity=c.Necessity.REQUIRED,
            form=c.MaterialForm.ELECTRONIC,
        )
    credentials = []
    for n in range(clients):
        user = get_user_model().objects.create_user(email=f"bench{n}@example.com", password=None)
        person = accounts.register_person(user=user, name_en=f"BENCH Applicant {n}")
        accounts.give_consent(user, person, ConsentPurpose.CASE_PROCESSING, language="zh-hant")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        credentials.append({"session": session.session_key, "csrf": _get_new_csrf_string()})
    materials = list(item.materials.order_by("position").values_list("pk", flat=True))
    print(
        json.dumps(
            {"item": item.implementation_code, "materials": materials, "clients": credentials}
        )
    )


def verify(expected_json: str) -> None:
    import django

    django.setup()
    from django.db.models import Count

    from tongban.cases.models import Attachment, Case, CaseEvent

    expected = json.loads(expected_json)
    numbers = sorted(expected)
    stored = list(Case.objects.order_by("number").values_list("number", "status"))
    duplicates = list(
        Case.objects.values("submitted_by", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("idempotency_key", flat=True)
    )
    tails = [int(number.rsplit("-", 1)[1]) for number, _status in stored]
    print(
        json.dumps(
            {
                "cases_in_database": len(stored),
                "submitted_in_database": sum(1 for _n, s in stored if s == "submitted"),
                "lost": len(set(numbers) - {n for n, _s in stored}),
                "unexpected": len({n for n, _s in stored} - set(numbers)),
                "duplicated_keys": len(duplicates),
                "submit_events": CaseEvent.objects.filter(action="submit").count(),
                "attachments": Attachment.objects.count(),
                "numbers_gap_free": tails == list(range(1, len(tails) + 1)),
            }
        )
    )


# --- Files and requests -------------------------------------------------------------------------


def sample_files() -> list[tuple[str, bytes]]:
    from PIL import Image
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    pdf = io.BytesIO()
    writer.write(pdf)
    photo = Image.effect_noise((640, 480), 60).convert("RGB")
    jpeg, png = io.BytesIO(), io.BytesIO()
    photo.save(jpeg, format="JPEG", quality=85)
    photo.resize((320, 240)).save(png, format="PNG")
    return [
        ("permit.pdf", pdf.getvalue()),
        ("contract.jpg", jpeg.getvalue()),
        ("house.png", png.getvalue()),
    ]


def multipart(name: str, content: bytes, requirement: int) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="requirement"\r\n\r\n{requirement}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


class Applicant:
    def __init__(self, port: int, credentials: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Cookie": f"sessionid={credentials['session']}; csrftoken={credentials['csrf']}",
            "X-CSRFToken": credentials["csrf"],
        }

    def call(self, method: str, path: str, body: bytes = b"", content_type: str = "", extra=None):
        headers = {**self.headers, **(extra or {})}
        if content_type:
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data

    def submit_one(self, item: str, materials: list[int], files) -> tuple[str, str]:
        key = uuid.uuid4().hex
        status, data = self.call(
            "POST", "/api/v1/cases", json.dumps({"item": item}).encode(), "application/json",
            {"Idempotency-Key": key},
        )  # fmt: skip
        if status != 201:
            raise RuntimeError(f"create {status} {data[:200]!r}")
        number = json.loads(data)["number"]
        for (name, content), requirement in zip(files, materials, strict=True):
            status, data = self.call(
                "POST", f"/api/v1/cases/{number}/attachments", multipart(name, content, requirement),
                f"multipart/form-data; boundary={BOUNDARY}",
            )  # fmt: skip
            if status != 201:
                raise RuntimeError(f"upload {status} {data[:200]!r}")
        status, data = self.call(
            "POST", f"/api/v1/cases/{number}/submit", extra={"Idempotency-Key": key}
        )
        if status != 200:
            raise RuntimeError(f"submit {status} {data[:200]!r}")
        return number, key


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * share) - 1)], 1)


def run_submissions(port: int, setup: dict, per_client: int) -> dict:
    files = sample_files()
    latencies, numbers, errors = [], [], []
    lock = threading.Lock()
    double_clicks_ok = 0

    def client(credentials: dict) -> None:
        nonlocal double_clicks_ok
        applicant = Applicant(port, credentials)
        mine, made, last = [], [], None
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                last = applicant.submit_one(setup["item"], setup["materials"], files)
                made.append(last[0])
            except Exception as error:  # noqa: BLE001  (counted and reported)
                with lock:
                    errors.append(str(error)[:200])
                continue
            mine.append((time.perf_counter() - started) * 1000)
        replay_ok = False
        if last is not None:  # the double click: same key, same case
            status, data = applicant.call(
                "POST", f"/api/v1/cases/{last[0]}/submit", extra={"Idempotency-Key": last[1]}
            )
            replay_ok = status == 200 and json.loads(data)["number"] == last[0]
        with lock:
            latencies.extend(mine)
            numbers.extend(made)
            double_clicks_ok += replay_ok

    threads = [threading.Thread(target=client, args=(c,)) for c in setup["clients"]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "submissions": len(numbers),
        "submissions_per_s": round(len(numbers) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": percentile(latencies, 0.95) if latencies else None,
        "errors": len(errors),
        "first_errors": errors[:3],
        "double_clicks_answered_with_same_case": double_clicks_ok,
        "numbers": numbers,
    }


def healthz_floor(port: int, clients: int, per_client: int) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
    }


def insert_floor(database_url: str, clients: int, per_client: int) -> dict:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body text)"
        )

    def client() -> None:
        with psycopg.connect(database_url) as connection:
            for _ in range(per_client):
                connection.execute("INSERT INTO bench_floor (body) VALUES (%s)", ("x" * 100,))
                connection.commit()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("DROP TABLE bench_floor")
    return {"inserts_per_s": round(clients * per_client / elapsed, 1)}


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("tongban serve exited")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not come up")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args.clients)
    if args.verify:
        return verify(Path(args.verify).read_text())

    import psycopg

    name = f"tongban_bench_submit_{os.getpid()}"
    database_url = f"{args.server}/{name}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    tongban = str(Path(sys.executable).with_name("tongban"))
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
            env = {
                **os.environ,
                "TONGBAN_VAR_DIR": var_dir,
                "DATABASE_URL": database_url,
                "DJANGO_SETTINGS_MODULE": "tongban.settings",
                "TONGBAN_LOG_LEVEL": "WARNING",
            }
            setup = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--prepare", "--clients", str(args.clients)],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout.strip().splitlines()[-1]
            )  # fmt: skip
            port = free_port()
            server = subprocess.Popen(
                [tongban, "serve", "--port", str(port), "--workers", str(args.workers),
                 "--threads", str(args.threads), "--no-task-worker"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_until_up(port, server)
            healthz_floor(port, args.clients, 20)  # warm every worker's connections
            health = healthz_floor(port, args.clients, 100)
            inserts = insert_floor(database_url, args.clients, 100)
            result = run_submissions(port, setup, args.per_client)
            numbers_file = Path(var_dir) / "numbers.json"
            numbers_file.write_text(json.dumps(result.pop("numbers")))
            check = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--verify", str(numbers_file)],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout.strip().splitlines()[-1]
            )  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    floor = 1 / (1 / health["rps"] + 1 / inserts["inserts_per_s"])
    print(
        json.dumps(
            {
                "bench": "case_submit",
                "database": "postgresql",
                "clients": args.clients,
                "server": f"{args.workers} workers x {args.threads} threads",
                **result,
                "floor": {
                    "healthz": health,
                    "raw_insert": inserts,
                    "trivial_insert_view_per_s": round(floor, 1),
                },
                "ratio_to_floor": round(result["submissions_per_s"] / floor, 4),
                "request_ratio_to_floor": round(5 * result["submissions_per_s"] / floor, 4),
                "target_ratio": 0.4,
                "check": check,
                "zero_lost_or_duplicated": check["lost"] == 0
                and check["unexpected"] == 0
                and check["duplicated_keys"] == 0
                and check["submitted_in_database"] == result["submissions"]
                and check["submit_events"] == result["submissions"],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
