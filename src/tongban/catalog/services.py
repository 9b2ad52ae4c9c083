"""The catalog's public face: every page, API route and command calls these functions."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tongban.core import counters

from . import constants as c
from . import search
from .import_synonyms import synonym_map
from .models import Department, MaterialRequirement, ServiceItem, Topic, Zone
from .self_service import (  # noqa: F401 - other apps register and read links through services
    SelfService,
    register_self_service,
    self_service_for,
)

REVISION_COUNTER = "catalog-revision"
LONG_TEXT_FIELDS = ("legal_basis", "conditions", "process_steps", "fee_standard", "search_document")
MAX_PAGE = 100
_batch = threading.local()


class ItemNotFound(LookupError):
    pass


# --- Revision: tells each process's search index when to rebuild -------------------------


def catalog_revision() -> int:
    return counters.current_value(REVISION_COUNTER)


def catalog_changed() -> None:
    """Record that the catalog changed (called by signals; once per batch inside ``batch_changes``)."""
    if getattr(_batch, "depth", 0):
        _batch.dirty = True
        return
    counters.next_value(REVISION_COUNTER)


@contextlib.contextmanager
def batch_changes():
    """Many writes, one revision bump at the end (imports)."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    try:
        yield
    finally:
        _batch.depth -= 1
        if not _batch.depth and getattr(_batch, "dirty", False):
            _batch.dirty = False
            counters.next_value(REVISION_COUNTER)


# --- Loading ------------------------------------------------------------------------------


def has_items() -> bool:
    return ServiceItem.objects.exists()


def load_shipped_catalog(actor: str = "tongban serve") -> None:
    """Import ``data/catalog`` (departments, then items) into the database."""
    from django.conf import settings

    from .importing import import_catalog

    for name in ("departments.csv", "items.csv", "synonyms.csv"):
        report = import_catalog(settings.TONGBAN_CATALOG_DIR / name, actor=actor)
        if report.refused:
            # The shipped files are validated when built: a refusal here is a packaging bug.
            reasons = "; ".join(f"row {p.row} {p.column}: {p.reason}" for p in report.problems[:5])
            raise RuntimeError(f"The shipped catalog file {name} was refused: {reasons}")


# --- Reading ------------------------------------------------------------------------------


def active_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(status=c.ItemStatus.ACTIVE).select_related("department")


def get_item(implementation_code: str) -> ServiceItem:
    """One active item with its materials, zones and topics."""
    try:
        return (
            active_items()
            .prefetch_related(
                Prefetch("materials", queryset=MaterialRequirement.objects.order_by("position")),
                "zones",
                "topics",
            )
            .get(implementation_code=implementation_code)
        )
    except ServiceItem.DoesNotExist as error:
        raise ItemNotFound(implementation_code) from error


@dataclass(frozen=True)
class ItemFilters:
    department: str | None = None  # credit code
    topic: str | None = None
    audience: str | None = None  # person | company
    scope: str | None = None
    high_frequency: bool | None = None


def _filtered(filters: ItemFilters) -> QuerySet[ServiceItem]:
    items = active_items()
    if filters.department:
        items = items.filter(department__credit_code=filters.department)
    if filters.topic:
        items = items.filter(topics__slug=filters.topic)
    if filters.audience == c.Audience.COMPANY:
        items = items.filter(for_companies=True)
    elif filters.audience == c.Audience.PERSON:
        items = items.filter(for_persons=True)
    if filters.scope:
        items = items.filter(scope=filters.scope)
    if filters.high_frequency is not None:
        items = items.filter(high_frequency=filters.high_frequency)
    return items


def list_items(
    filters: ItemFilters = ItemFilters(), *, after: str | None = None, limit: int = 50
) -> tuple[list[ServiceItem], str | None]:
    """A page of items in code order, keyset-paginated: (items, cursor of the next page)."""
    limit = max(1, min(limit, MAX_PAGE))
    items = _filtered(filters)
    if after:
        items = items.filter(implementation_code__gt=after)
    page = list(items.order_by("implementation_code")[: limit + 1])
    next_cursor = page[limit - 1].implementation_code if len(page) > limit else None
    return page[:limit], next_cursor


def _index_rows():
    topics: dict[int, list[str]] = {}
    for item_id, slug in ServiceItem.topics.through.objects.values_list(
        "serviceitem_id", "topic_id"
    ):
        topics.setdefault(item_id, []).append(slug)
    departments = {
        d.id: " ".join(filter(None, [d.name_zh_hans, d.name_en, d.name_pt]))
        for d in Department.objects.all()
    }
    rows = (
        ServiceItem.objects.filter(status=c.ItemStatus.ACTIVE)
        .values(
            "id",
            "name_zh_hans",
            "search_document",
            "sub_item",
            "high_frequency",
            "department_id",
            "scope",
            "for_persons",
            "for_companies",
        )
        .order_by("id")
    )
    for row in rows.iterator(chunk_size=2000):
        slugs = topics.get(row["id"], [])
        row["topics"] = slugs
        topic_words = " ".join(f"{c.TOPICS[s][0]} {c.TOPICS[s][1]}" for s in slugs if s in c.TOPICS)
        row["context"] = f"{departments.get(row['department_id'], '')} {topic_words}"
        yield row


def search_items(
    query: str, filters: ItemFilters = ItemFilters(), *, limit: int = 20
) -> list[ServiceItem]:
    """Active items matching ``query`` in any of the four languages, best first."""
    limit = max(1, min(limit, MAX_PAGE))
    index = search.get_index(catalog_revision(), _index_rows, synonym_map)
    index_filters = {"scope": filters.scope, "topic": filters.topic, "audience": filters.audience}
    if filters.department:
        department_id = (
            Department.objects.filter(credit_code=filters.department)
            .values_list("id", flat=True)
            .first()
        )
        if department_id is None:
            return []
        index_filters["department_id"] = department_id
    ids = index.search(query, filters=index_filters)[:limit]
    # A result list shows names, limits and the department, never the long texts.
    found = active_items().defer(*LONG_TEXT_FIELDS).in_bulk(ids)
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class SearchPage:
    items: list[ServiceItem]
    total: int  # every match, up to ``search.MAX_RESULTS``
    capped: bool  # more matched than the index returns: the count is a floor
    page: int
    pages: int
    suggestion: str | None  # "did you mean", when nothing matched


def search_page(query: str, *, page: int = 1, per_page: int = 20) -> SearchPage:
    """One page of a search with an honest count, and a correction when nothing matched."""
    index = search.get_index(catalog_revision(), _index_rows, synonym_map)
    ids = index.search(query)
    per_page = max(1, min(per_page, MAX_PAGE))
    pages = max(1, -(-len(ids) // per_page))
    page = max(1, min(page, pages))
    window = ids[(page - 1) * per_page : page * per_page]
    found = active_items().defer(*LONG_TEXT_FIELDS).select_related("department").in_bulk(window)
    return SearchPage(
        items=[found[i] for i in window if i in found],
        total=len(ids),
        capped=len(ids) >= search.MAX_RESULTS,
        page=page,
        pages=pages,
        suggestion=None if ids else index.suggest(query),
    )


def list_departments() -> list[Department]:
    return list(
        Department.objects.filter(items__status=c.ItemStatus.ACTIVE)
        .distinct()
        .order_by("credit_code")
    )


def get_department(credit_code: str) -> Department:
    try:
        return Department.objects.get(credit_code=credit_code)
    except Department.DoesNotExist as error:
        raise ItemNotFound(credit_code) from error


def list_topics() -> list[Topic]:
    return list(Topic.objects.all())


def list_zones() -> list[Zone]:
    return list(Zone.objects.all())


def catalog_stats(today: dt.date | None = None) -> dict:
    """Figures for supervisors and ``tongban catalog stats`` (active items only)."""
    today = today or timezone.localdate()
    items = ServiceItem.objects.filter(status=c.ItemStatus.ACTIVE)
    totals = items.aggregate(
        items=Count("id"),
        departments=Count("department", distinct=True),
        province_wide=Count("id", filter=Q(scope=c.Scope.PROVINCE)),
        high_frequency=Count("id", filter=Q(high_frequency=True)),
        new_this_year=Count("id", filter=Q(entered_zones_on__year=today.year)),
    )
    by_type = dict(items.values_list("item_type").annotate(n=Count("id")).order_by("item_type"))
    return {
        **totals,
        "suspended": ServiceItem.objects.filter(status=c.ItemStatus.SUSPENDED).count(),
        "by_type": {value: by_type.get(value, 0) for value in c.ItemType.values},
        "year": today.year,
    }


# --- Import and export (``tongban catalog import`` / ``export``) ---------------------------


def import_catalog(path, **options):
    """Import an items or departments file in the official layout; see ``importing``."""
    from .importing import import_catalog as run_import

    return run_import(path, **options)


def export_catalog(export_format: str, stream, *, table: str | None = None) -> None:
    """Write the catalog in the official layout (xlsx, csv or json) to a binary stream."""
    from .exporting import export_catalog as run_export

    run_export(export_format, stream, table=table)
