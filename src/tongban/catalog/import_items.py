"""Items of an import: what changes against the database, then the bulk writes.

Existing rows are fetched by implementation code in chunks (no per-row query); creates,
updates, zone and topic links and materials are each written with bulk statements.
An item's materials are replaced only when they changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.db import connections, router
from django.utils import timezone

from tongban.core.text import to_hong_kong_traditional

from .import_rows import MATERIAL_FIELDS, ParsedItem
from .models import Department, MaterialRequirement, ServiceItem, Zone

CHUNK = 500  # well under SQLite's 999 parameters per statement
ZoneLink = ServiceItem.zones.through
TopicLink = ServiceItem.topics.through


@dataclass
class _Update:
    item: ServiceItem
    parsed: ParsedItem
    fields: list[str]
    zones: bool
    topics: bool
    materials: bool


@dataclass
class ItemPlan:
    creates: list[ParsedItem] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)
    unchanged: int = 0


# Material names recur across items; convert each distinct one once.
_traditional_material_name = lru_cache(maxsize=8192)(to_hong_kong_traditional)


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(codes: list[str]) -> dict[str, ServiceItem]:
    found = {}
    for chunk in _chunks(codes):
        for item in ServiceItem.objects.filter(implementation_code__in=chunk):
            found[item.implementation_code] = item
    return found


def _links(ids: list[int]) -> tuple[dict, dict, dict]:
    """Zone codes, topic slugs and material tuples of the items ``ids``."""
    zone_codes = dict(Zone.objects.values_list("id", "code"))
    zones, topics, materials = defaultdict(list), defaultdict(list), defaultdict(list)
    for chunk in _chunks(ids):
        for item_id, zone_id in ZoneLink.objects.filter(serviceitem_id__in=chunk).values_list(
            "serviceitem_id", "zone_id"
        ):
            zones[item_id].append(zone_codes[zone_id])
        for item_id, slug in TopicLink.objects.filter(serviceitem_id__in=chunk).values_list(
            "serviceitem_id", "topic_id"
        ):
            topics[item_id].append(slug)
        rows = (
            MaterialRequirement.objects.filter(item_id__in=chunk)
            .order_by("item_id", "position")
            .values_list("item_id", *MATERIAL_FIELDS)
        )
        for item_id, *values in rows:
            materials[item_id].append(tuple(values))
    return zones, topics, materials


def _target_fields(parsed: ParsedItem, current: ServiceItem | None, department_id) -> dict:
    values = dict(parsed.fields)
    if not values["name_zh_hant"]:
        same_name = current is not None and current.name_zh_hans == values["name_zh_hans"]
        values["name_zh_hant"] = (
            current.name_zh_hant  # keep an override reviewed in the admin
            if same_name and current.name_zh_hant
            else to_hong_kong_traditional(values["name_zh_hans"])
        )
    values["department_id"] = department_id
    return values


def plan(rows: list[ParsedItem]) -> ItemPlan:
    """Sort ``rows`` into creates, updates (with what changed) and unchanged."""
    result = ItemPlan()
    existing = _existing([row.code for row in rows])
    if not existing:
        result.creates = rows
        return result
    zones, topics, materials = _links([item.id for item in existing.values()])
    department_ids = dict(Department.objects.values_list("credit_code", "id"))
    for row in rows:
        current = existing.get(row.code)
        if current is None:
            result.creates.append(row)
            continue
        values = _target_fields(row, current, department_ids.get(row.department_code))
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        update = _Update(
            current,
            row,
            changed,
            zones=sorted(zones[current.id]) != sorted(row.zones),
            topics=sorted(topics[current.id]) != sorted(row.topics),
            materials=materials[current.id] != list(row.materials),
        )
        if changed or update.zones or update.topics or update.materials:
            result.updates.append(update)
        else:
            result.unchanged += 1
    return result


def write(item_plan: ItemPlan) -> None:
    """Apply ``item_plan``; the caller holds the transaction."""
    department_ids = dict(Department.objects.values_list("credit_code", "id"))
    zone_ids = dict(Zone.objects.values_list("code", "id"))
    created = _create(item_plan.creates, department_ids)
    _update(item_plan.updates, department_ids)

    relinked_zones = [(u.item.id, u.parsed) for u in item_plan.updates if u.zones]
    relinked_topics = [(u.item.id, u.parsed) for u in item_plan.updates if u.topics]
    replaced_materials = [(u.item.id, u.parsed) for u in item_plan.updates if u.materials]
    _delete_for(ZoneLink, "serviceitem_id", [item_id for item_id, _row in relinked_zones])
    _delete_for(TopicLink, "serviceitem_id", [item_id for item_id, _row in relinked_topics])
    _delete_for(MaterialRequirement, "item_id", [item_id for item_id, _row in replaced_materials])

    bulk_insert(
        ZoneLink,
        ["serviceitem_id", "zone_id"],
        [
            (item_id, zone_ids[code])
            for item_id, row in [*created, *relinked_zones]
            for code in row.zones
        ],
    )
    bulk_insert(
        TopicLink,
        ["serviceitem_id", "topic_id"],
        [(item_id, slug) for item_id, row in [*created, *relinked_topics] for slug in row.topics],
    )
    bulk_insert(
        MaterialRequirement,
        ["item_id", "position", "name_zh_hant", *MATERIAL_FIELDS],
        [
            (item_id, position, _traditional_material_name(values[0]), *values)
            for item_id, row in [*created, *replaced_materials]
            for position, values in enumerate(row.materials, start=1)
        ],
    )


def _create(rows: list[ParsedItem], department_ids: dict) -> list[tuple[int, ParsedItem]]:
    if not rows:
        return []
    now = timezone.now()
    columns = None
    values = []
    for row in rows:
        fields = _target_fields(row, None, department_ids[row.department_code])
        fields["implementation_code"] = row.code
        fields["search_document"] = ServiceItem.build_search_document(SimpleNamespace(**fields))
        fields["created_at"] = fields["updated_at"] = now
        if columns is None:
            columns = list(fields)
        values.append([fields[name] for name in columns])
    bulk_insert(ServiceItem, columns, values)
    ids = {}
    for chunk in _chunks([row.code for row in rows]):
        ids.update(
            ServiceItem.objects.filter(implementation_code__in=chunk).values_list(
                "implementation_code", "id"
            )
        )
    return [(ids[row.code], row) for row in rows]


# Values these columns hold go to the database driver as they are; others are adapted.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField",
    "SmallIntegerField", "TextField",
}  # fmt: skip


def bulk_insert(model, columns: list[str], rows: list) -> None:
    """INSERT ``rows`` (values of the fields named by attname in ``columns``) by executemany.

    Django's ``bulk_create`` compiles SQL for every batch of 999 parameters (about 20 items on
    SQLite) and builds a model instance per row; at 50,000 items that cost more than reading
    the file. Ids are not returned: read them back by a unique column.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    names = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608 — names from the model
    adapted = [i for i, f in enumerate(fields) if f.get_internal_type() not in _PLAIN_TYPES]
    if adapted:
        # Dates, timestamps and lists repeat from row to row: adapt each distinct value once.
        memo: dict[tuple, Any] = {}
        rows = [list(row) for row in rows]
        for row in rows:
            for i in adapted:
                value = row[i]
                key = (i, tuple(value) if isinstance(value, list) else value)
                try:
                    row[i] = memo[key]
                except KeyError:
                    row[i] = memo[key] = fields[i].get_db_prep_save(value, connection)
                except TypeError:  # unhashable (a dict, a list of lists): adapt as it is
                    row[i] = fields[i].get_db_prep_save(value, connection)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, chunk)


def _update(updates: list[_Update], department_ids: dict) -> None:
    now = timezone.now()
    changed_fields = {"updated_at", "search_document"}
    items = []
    for update in updates:
        values = _target_fields(
            update.parsed, update.item, department_ids[update.parsed.department_code]
        )
        for name in update.fields:
            setattr(update.item, name, values[name])
        changed_fields.update(update.fields)
        update.item.updated_at = now
        update.item.search_document = update.item.build_search_document()
        items.append(update.item)
    if items:
        ServiceItem.objects.bulk_update(items, sorted(changed_fields), batch_size=200)


def _delete_for(model, column: str, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        model.objects.filter(**{f"{column}__in": chunk}).delete()
