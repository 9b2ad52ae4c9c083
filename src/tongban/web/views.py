from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from tongban.cases import services as cases
from tongban.catalog import services as catalog

FREQUENT_ON_HOME = 8


def home(request):
    frequent, _next = catalog.list_items(
        catalog.ItemFilters(high_frequency=True), limit=FREQUENT_ON_HOME
    )
    return render(
        request,
        "web/home.html",
        {"topics": catalog.list_topics(), "zones": catalog.list_zones(), "frequent": frequent},
    )


def health(request):
    """Liveness and database reachability; also the benchmarks' trivial floor view.

    Problems that do not stop the platform answering (an upload scanner that is down, or none at
    all in production) are listed under ``warnings`` with status ``warning``, still HTTP 200: a
    liveness probe must not restart a server over them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    scanner = cases.scanner_health()
    warnings = [] if scanner.ok else [f"upload scanner {scanner.name}: {scanner.warning}"]
    return JsonResponse(
        {
            "status": "warning" if warnings else "ok",
            "upload_scanner": scanner.name,
            "warnings": warnings,
        }
    )
