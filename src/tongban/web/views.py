from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from tongban.catalog import services as catalog


def home(request):
    return render(request, "web/home.html", {"topics": catalog.list_topics()})


def health(request):
    """Liveness and database reachability; also the benchmarks' trivial floor view."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
