"""Catalog search over HTTP at 450 and at 50,000 items, against a trivial view on the same server.

Starts ``tongban serve`` on a fresh database in a temporary directory (SQLite by default, or
``--database-url``), loads the shipped catalog, measures, then grows the catalog to 50,000 items
and measures again. The floor is ``/healthz`` (one ``SELECT 1``) on the same server in the same
run, so the ratio survives a noisy machine. Prints one JSON line.

    .venv/bin/python bench/catalog_search.py [--requests 2000] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

QUERIES = [
    "參保證明",
    "社保证明",
    "公积金提取",
    "公積金",
    "不动产登记",
    "營業執照",
    "个人所得税",
    "social insurance certificate",
    "provident fund withdrawal",
    "business registration",
    "certidão segurança social",
    "registo predial",
    "结婚登记",
    "驾驶证",
    "cbzm",
    "港澳居民居住证",
    "完税证明",
    "医保",
    "出生医学证明",
    "tax record",
]
DISTRICTS = ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
DISTRICTS_EN = ["Pengjiang", "Jianghai", "Xinhui", "Taishan", "Kaiping", "Heshan", "Enping"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not come up")


def load(port: int, paths: list[str], requests: int, concurrency: int, timeout: float = 30) -> dict:
    """Send ``requests`` GETs over keep-alive connections; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = requests // concurrency

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine: list[float] = []
        bad = 0
        for _ in range(per_client):
            path = rng.choice(paths)
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            bad += response.status != 200
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2),
        "errors": errors,
    }


def grow_catalog(env: dict, target: int) -> None:
    """Clone shipped items with district variants until the catalog holds ``target`` items."""
    script = f"""
import django, itertools
django.setup()
from django.db import transaction
from tongban.catalog.models import ServiceItem, MaterialRequirement
from tongban.catalog import services
base = list(ServiceItem.objects.all())
zones = {{}}
districts = {DISTRICTS!r}
districts_en = {DISTRICTS_EN!r}
count = len(base)
new = []
for round_no in itertools.count(1):
    for item in base:
        if count >= {target}:
            break
        d = districts[round_no % len(districts)]
        d_en = districts_en[round_no % len(districts)]
        clone = ServiceItem(**{{f.attname: getattr(item, f.attname) for f in ServiceItem._meta.concrete_fields if f.attname != "id"}})
        clone.implementation_code = item.implementation_code[:23] + f"{{round_no:04d}}{{count:09d}}"[-13:]
        clone.sub_item = f"{{d}}受理点 第{{round_no}}批"
        clone.name_zh_hans = f"{{item.name_zh_hans}}（{{d}}）"
        clone.name_zh_hant = f"{{item.name_zh_hant}}（{{d}}）"
        clone.name_en = f"{{item.name_en}} ({{d_en}})"
        clone.name_pt = f"{{item.name_pt}} ({{d_en}})"
        clone.high_frequency = False
        clone.search_document = clone.build_search_document()
        new.append(clone)
        count += 1
    if count >= {target}:
        break
with services.batch_changes(), transaction.atomic():
    ServiceItem.objects.bulk_create(new, batch_size=2000)
    services.catalog_changed()
print(ServiceItem.objects.count())
"""
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True)


def measure(port: int, requests: int, concurrency: int) -> dict:
    search_paths = ["/api/v1/catalog/search?" + urllib.parse.urlencode({"q": q}) for q in QUERIES]
    # Every web worker builds its index on its first search: time that, then measure warm.
    started = time.perf_counter()
    load(port, search_paths, concurrency * 10, concurrency, timeout=600)
    cold_seconds = round(time.perf_counter() - started, 2)
    floor = load(port, ["/healthz"], requests, concurrency)
    search = load(port, search_paths, requests, concurrency)
    return {
        "search": search,
        "floor": floor,
        "ratio_to_floor": round(search["rps"] / floor["rps"], 3),
        "first_searches_seconds": cold_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tongban = str(Path(sys.executable).with_name("tongban"))
    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as var_dir:
        env = {
            **os.environ,
            "TONGBAN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "tongban.settings",
        }
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        results: dict = {
            "bench": "catalog_search",
            "database": "postgresql" if args.database_url else "sqlite",
        }
        for label, size in (("small", None), ("large", args.large)):
            port = free_port()
            server = subprocess.Popen(
                [tongban, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_until_up(port)
                if size:
                    server.terminate()
                    server.wait()
                    grow_catalog(env, size)
                    server = subprocess.Popen(
                        [tongban, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    wait_until_up(port)
                count = json.loads(
                    subprocess.run(
                        [tongban, "catalog", "stats", "--json"],
                        env=env,
                        capture_output=True,
                        check=True,
                    ).stdout
                )["items"]
                results[label] = {"items": count, **measure(port, args.requests, args.concurrency)}
            finally:
                server.terminate()
                server.wait()
        results["targets"] = {"p95_ms_at_50000": 30, "ratio_to_floor": 0.3}
        print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
