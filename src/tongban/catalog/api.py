"""/api/v1/catalog: the same service functions as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tongban.core import errors
from tongban.core.errors import ApiError

from . import constants as c
from . import services
from .models import Department, MaterialRequirement, ServiceItem, Zone

router = Router(tags=["catalog"])


class Names(Schema):
    zh_hans: str
    zh_hant: str
    en: str
    pt: str


def _names(obj) -> Names:
    return Names(
        zh_hans=obj.name_zh_hans,
        zh_hant=obj.name_zh_hant or obj.name_zh_hans,
        en=obj.name_en,
        pt=obj.name_pt,
    )


class DepartmentOut(Schema):
    credit_code: str
    names: Names
    level: str
    address: str
    phone: str

    @staticmethod
    def of(department: Department) -> DepartmentOut:
        return DepartmentOut(
            credit_code=department.credit_code,
            names=_names(department),
            level=department.level,
            address=department.address,
            phone=department.phone,
        )


class Limit(Schema):
    value: int
    unit: str
    note: str


class ItemSummary(Schema):
    implementation_code: str
    basic_code: str
    names: Names
    department: str = Field(description="Credit code of the implementing department")
    item_type: str
    scope: str
    handling_type: str
    high_frequency: bool
    promised_limit: Limit
    statutory_limit: Limit

    @staticmethod
    def of(item: ServiceItem) -> dict:
        # A plain dict: Ninja validates the response once; building the Schema here too
        # doubled the cost of a search answer.
        return {
            "implementation_code": item.implementation_code,
            "basic_code": item.basic_code,
            "names": {
                "zh_hans": item.name_zh_hans,
                "zh_hant": item.name_zh_hant or item.name_zh_hans,
                "en": item.name_en,
                "pt": item.name_pt,
            },
            "department": item.department.credit_code,
            "item_type": item.item_type,
            "scope": item.scope,
            "handling_type": item.handling_type,
            "high_frequency": item.high_frequency,
            "promised_limit": {
                "value": item.promised_limit,
                "unit": item.promised_unit,
                "note": item.promised_note,
            },
            "statutory_limit": {
                "value": item.statutory_limit,
                "unit": item.statutory_unit,
                "note": item.statutory_note,
            },
        }


class MaterialOut(Schema):
    names: Names
    material_type: str
    source: str
    necessity: str
    form: str
    originals: int
    copies: int
    hkmo_note: str

    @staticmethod
    def of(material: MaterialRequirement) -> MaterialOut:
        return MaterialOut(
            names=_names(material),
            material_type=material.material_type,
            source=material.source,
            necessity=material.necessity,
            form=material.form,
            originals=material.originals,
            copies=material.copies,
            hkmo_note=material.hkmo_note,
        )


class ItemDetail(ItemSummary):
    sub_item: str
    level: str
    department_detail: DepartmentOut
    visits: int
    channels: list[str]
    zones: list[str]
    topics: list[str]
    audiences: list[str]
    has_fee: bool
    fee_standard: str
    booking_supported: bool
    online: bool
    online_depth: int | None
    legal_basis: str
    conditions: str
    process_steps: list[str]
    result_name: str
    result_type: str
    consultation_phone: str
    complaint_phone: str
    entered_zones_on: dt.date
    materials: list[MaterialOut]

    @staticmethod
    def of(item: ServiceItem) -> ItemDetail:
        return ItemDetail(
            **ItemSummary.of(item),
            sub_item=item.sub_item,
            level=item.level,
            department_detail=DepartmentOut.of(item.department),
            visits=item.visits,
            channels=item.channels,
            zones=[zone.code for zone in item.zones.all()],
            topics=[topic.slug for topic in item.topics.all()],
            audiences=item.audiences,
            has_fee=item.has_fee,
            fee_standard=item.fee_standard,
            booking_supported=item.booking_supported,
            online=item.online,
            online_depth=item.online_depth,
            legal_basis=item.legal_basis,
            conditions=item.conditions,
            process_steps=item.process_steps,
            result_name=item.result_name,
            result_type=item.result_type,
            consultation_phone=item.consultation_phone,
            complaint_phone=item.complaint_phone,
            entered_zones_on=item.entered_zones_on,
            materials=[MaterialOut.of(m) for m in item.materials.all()],
        )


class ItemPage(Schema):
    items: list[ItemSummary]
    next: str | None = Field(
        description="Pass as `after` to get the next page; null on the last page"
    )


class ItemQuery(Schema):
    department: str | None = Field(None, max_length=18, description="Credit code of a department")
    topic: str | None = Field(None, max_length=40)
    audience: c.Audience | None = None
    scope: c.Scope | None = None
    high_frequency: bool | None = None
    after: str | None = Field(None, max_length=36, description="Cursor from the previous page")
    limit: int = Field(50, ge=1, le=100)


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    department: str | None = Field(None, max_length=18)
    topic: str | None = Field(None, max_length=40)
    audience: c.Audience | None = None
    scope: c.Scope | None = None
    limit: int = Field(20, ge=1, le=100)


class TopicOut(Schema):
    slug: str
    term: str
    label: str


class ZoneOut(Schema):
    code: str
    names: Names
    address: str
    hours: str
    phone: str
    holiday_calendar: str

    @staticmethod
    def of(zone: Zone) -> ZoneOut:
        return ZoneOut(
            code=zone.code,
            names=_names(zone),
            address=zone.localized("address"),
            hours=zone.localized("hours"),
            phone=zone.phone,
            holiday_calendar=zone.holiday_calendar,
        )


def _filters(query) -> services.ItemFilters:
    return services.ItemFilters(
        department=query.department,
        topic=query.topic,
        audience=query.audience,
        scope=query.scope,
        high_frequency=getattr(query, "high_frequency", None),
    )


@router.get("/items", response=ItemPage, summary="List items (keyset pagination)")
def list_items(request: HttpRequest, query: Query[ItemQuery]):
    items, next_cursor = services.list_items(_filters(query), after=query.after, limit=query.limit)
    return ItemPage(items=[ItemSummary.of(item) for item in items], next=next_cursor)


@router.get(
    "/items/{code}",
    response={200: ItemDetail, 404: ApiError},
    summary="One item with its materials",
)
def get_item(request: HttpRequest, code: str):
    try:
        return 200, ItemDetail.of(services.get_item(code))
    except services.ItemNotFound:
        raise errors.NotFound(_("No active item has this implementation code.")) from None


@router.get("/search", response=list[ItemSummary], summary="Search items in any language or script")
def search(request: HttpRequest, query: Query[SearchQuery]):
    return [
        ItemSummary.of(item)
        for item in services.search_items(query.q, _filters(query), limit=query.limit)
    ]


@router.get("/departments", response=list[DepartmentOut], summary="Departments with active items")
def departments(request: HttpRequest):
    return [DepartmentOut.of(d) for d in services.list_departments()]


@router.get("/topics", response=list[TopicOut], summary="Topics (life events)")
def topics(request: HttpRequest):
    return [TopicOut(slug=t.slug, term=t.term, label=t.label) for t in services.list_topics()]


@router.get("/zones", response=list[ZoneOut], summary="Service zones with addresses and hours")
def zones(request: HttpRequest):
    return [ZoneOut.of(zone) for zone in services.list_zones()]
