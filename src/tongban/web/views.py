from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

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
    """Liveness and database reachability; also the benchmarks' trivial floor view."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
