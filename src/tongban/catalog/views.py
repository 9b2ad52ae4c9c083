from django.http import Http404
from django.shortcuts import render

from . import services


def browse(request):
    items, next_cursor = services.list_items(after=request.GET.get("after") or None)
    return render(request, "catalog/browse.html", {"items": items, "next_cursor": next_cursor})


def search(request):
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "catalog/search.html",
        {"query": query, "items": services.search_items(query) if query.strip() else []},
    )


def item_detail(request, code):
    try:
        item = services.get_item(code)
    except services.ItemNotFound:
        raise Http404 from None
    return render(request, "catalog/item.html", {"item": item})


def item_checklist(request, code):
    try:
        item = services.get_item(code)
    except services.ItemNotFound:
        raise Http404 from None
    return render(request, "catalog/checklist.html", {"item": item})
