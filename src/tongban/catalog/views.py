"""The public catalog pages: browse, search, an item, its printable checklist, departments.

Every page reads through ``services`` and works with plain links and GET forms.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import constants as c
from . import services
from .forms import MAX_CURSOR_LENGTH, BrowseFilterForm, SearchForm

PAGE_SIZE = 30
SEARCH_RESULTS = 20


def _page_links(request, next_cursor: str | None) -> dict:
    """Keyset links: the next page keeps every filter and moves the cursor."""
    next_url = first_url = None
    if next_cursor:
        params = request.GET.copy()
        params["after"] = next_cursor
        next_url = f"?{params.urlencode()}"
    if request.GET.get("after"):
        params = request.GET.copy()
        params.pop("after")
        first_url = f"?{params.urlencode()}"
    return {"next_url": next_url, "first_url": first_url}


def _browse_heading(filters: services.ItemFilters) -> str:
    if filters.topic:
        return str(c.TOPICS[filters.topic][1])
    if filters.high_frequency:
        return _("Frequently used services")
    if filters.scope:
        return str(c.Scope(filters.scope).label)
    if filters.audience == c.Audience.COMPANY:
        return _("Services for companies")
    if filters.audience == c.Audience.PERSON:
        return _("Services for persons")
    return _("All services")


def browse(request):
    form = BrowseFilterForm(request.GET)
    context = {"form": form, "items": [], "heading": _("All services")}
    if not form.is_valid():
        return render(request, "catalog/browse.html", context, status=400)
    filters = form.filters()
    items, next_cursor = services.list_items(
        filters, after=form.cleaned_data["after"] or None, limit=PAGE_SIZE
    )
    context.update(
        items=items,
        heading=_browse_heading(filters),
        filtered=form.is_filtered(),
        **_page_links(request, next_cursor),
    )
    return render(request, "catalog/browse.html", context)


def search(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "items": [], "searched": False}
    if form.is_bound and not form.is_valid():
        return render(request, "catalog/search.html", context, status=400)
    if form.is_bound:
        query = form.cleaned_data["q"]
        try:
            page_number = int(request.GET.get("page", "1"))
        except ValueError:
            page_number = 1
        found = services.search_page(query, page=page_number, per_page=SEARCH_RESULTS)
        context.update(query=query, searched=True, items=found.items, found=found)
        if not found.items:
            # Nothing found: the most used services and a person to ask instead of a dead end.
            frequent, _next = services.list_items(services.ItemFilters(high_frequency=True), limit=6)
            context.update(frequent=frequent, zones=services.list_zones())
    return render(request, "catalog/search.html", context)


def _item_or_404(code: str):
    try:
        return services.get_item(code)
    except services.ItemNotFound:
        raise Http404(_("No service has this code.")) from None


def item_detail(request, code):
    item = _item_or_404(code)
    context = {
        "item": item,
        "zones": item.zones.all(),
        "self_service": services.self_service_for(item),
    }
    return render(request, "catalog/item.html", context)


def item_checklist(request, code):
    item = _item_or_404(code)
    return render(request, "catalog/checklist.html", {"item": item, "zones": item.zones.all()})


def department_list(request):
    return render(request, "catalog/departments.html", {"departments": services.list_departments()})


def department_detail(request, credit_code):
    try:
        department = services.get_department(credit_code)
    except services.ItemNotFound:
        raise Http404(_("No department has this code.")) from None
    after = request.GET.get("after") or None
    if after and len(after) > MAX_CURSOR_LENGTH:
        after = None  # a mangled link: show the first page
    items, next_cursor = services.list_items(
        services.ItemFilters(department=department.credit_code), after=after, limit=PAGE_SIZE
    )
    return render(
        request,
        "catalog/department.html",
        {"department": department, "items": items, **_page_links(request, next_cursor)},
    )
