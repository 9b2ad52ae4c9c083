"""``export_catalog``: the database in the official layouts; importing the result changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from django.db.models import Prefetch

from . import constants as c
from .import_cells import NO, YES
from .import_synonyms import synonym_rows
from .models import Department, MaterialRequirement, ServiceItem
from .spreadsheet import TableKind
from .spreadsheet_writer import ExportFormat, write_tables

LIST_SEPARATOR = "；"
CHUNK = 2000


def export_catalog(export_format: str, stream: BinaryIO, *, table: str | None = None) -> None:
    """Write the catalog to the binary ``stream`` as xlsx, csv or json.

    An xlsx workbook or a json document holds every table (departments, items, search
    synonyms); a CSV file holds one: ``table`` "items" (the default), "departments" or
    "synonyms".
    """
    kinds = [TableKind.DEPARTMENTS, TableKind.ITEMS, TableKind.SYNONYMS]
    if table:
        kinds = [TableKind(table)]
    elif export_format == ExportFormat.CSV:
        kinds = [TableKind.ITEMS]
    builders = {
        TableKind.DEPARTMENTS: department_rows,
        TableKind.ITEMS: item_rows,
        TableKind.SYNONYMS: synonym_rows,
    }
    write_tables(export_format, stream, [(kind, builders[kind]()) for kind in kinds])


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def department_rows() -> Iterator[list[Any]]:
    for department in Department.objects.order_by("credit_code"):
        yield [
            department.name_zh_hans,
            department.name_zh_hant,
            department.name_en,
            department.name_pt,
            department.credit_code,
            c.official_term(c.Level(department.level)),
            department.address,
            department.phone,
        ]


def _material_line(material: MaterialRequirement) -> str:
    return "|".join(
        [
            material.name_zh_hans,
            material.name_en,
            material.name_pt,
            c.official_term(c.MaterialType(material.material_type)),
            c.official_term(c.MaterialSource(material.source)),
            c.official_term(c.Necessity(material.necessity)),
            c.official_term(c.MaterialForm(material.form)),
            str(material.originals),
            str(material.copies),
            material.hkmo_note,
        ]
    )


def _audience(item: ServiceItem) -> str:
    return LIST_SEPARATOR.join(c.official_term(c.Audience(a)) for a in item.audiences)


def item_rows() -> Iterator[list[Any]]:
    items = (
        ServiceItem.objects.select_related("department")
        .prefetch_related(
            Prefetch("materials", queryset=MaterialRequirement.objects.order_by("position")),
            "zones",
            "topics",
        )
        .order_by("implementation_code")
    )
    for number, item in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [
            number,
            item.name_zh_hans,
            item.name_zh_hant,
            item.name_en,
            item.name_pt,
            item.basic_code,
            item.implementation_code,
            item.sub_item,
            c.official_term(c.ItemType(item.item_type)),
            item.department.name_zh_hans,
            item.department.credit_code,
            c.official_term(c.Level(item.level)),
            LIST_SEPARATOR.join(topic.term for topic in item.topics.all()),
            _audience(item),
            c.official_term(c.Scope(item.scope)),
            c.official_term(c.HandlingType(item.handling_type)),
            item.statutory_limit,
            c.official_term(c.LimitUnit(item.statutory_unit)),
            item.statutory_note,
            item.promised_limit,
            c.official_term(c.LimitUnit(item.promised_unit)),
            item.promised_note,
            item.visits,
            LIST_SEPARATOR.join(c.official_term(c.Channel(ch)) for ch in item.channels),
            LIST_SEPARATOR.join(zone.code for zone in item.zones.all()),
            _yes_no(item.has_fee),
            item.fee_standard,
            _yes_no(item.booking_supported),
            _yes_no(item.online),
            c.ONLINE_DEPTHS.get(item.online_depth, "") if item.online_depth else "",
            item.legal_basis,
            item.conditions,
            "\n".join(item.process_steps),
            item.result_name,
            c.official_term(c.ResultType(item.result_type)),
            item.consultation_phone,
            item.complaint_phone,
            _yes_no(item.high_frequency),
            item.entered_zones_on.isoformat(),
            c.official_term(c.ItemStatus(item.status)),
            "\n".join(_material_line(m) for m in item.materials.all()),
        ]
