"""/api/v1/delivery: 送达 (§6) — the applicant's choice, staff recording it, the late list.

Authentication and error answers as in ``api_ratings`` (and ``cases.api``).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import SessionAuth

from tongban.core.ids import DatabaseId

from . import services
from .api import StaffToken, _zone
from .api_ratings import ERRORS, TEXT_MAX, _respond
from .constants import DeliveryMethod

delivery_router = Router(tags=["delivery"], auth=[StaffToken(), SessionAuth()])


class AddressIn(Schema):
    region: str = Field(max_length=2, description="HK or MO")
    recipient: str = Field(max_length=100)
    phone: str = Field(max_length=30)
    address: str = Field(max_length=500)


class PreferenceIn(Schema):
    method: DeliveryMethod
    zone: str | None = Field(None, max_length=16, description="Zone code, for counter pickup")
    address: AddressIn | None = None


class RecordIn(Schema):
    method: DeliveryMethod | None = Field(None, description="Default: the applicant's choice")
    zone: str | None = Field(None, max_length=16)
    address: AddressIn | None = None
    tracking_number: str = Field("", max_length=40, description="EMS (S10), e.g. EA123456785CN")
    document_number: str = Field("", max_length=32, description="Default: the latest decision")
    note: str = Field("", max_length=TEXT_MAX)


class CaseDeliveryOut(Schema):
    case: str
    method: str
    pickup_zone: str | None
    post_region: str
    post_recipient: str
    post_phone: str
    post_address: str
    chosen_at: dt.datetime | None
    due: dt.date | None
    delivered_at: dt.datetime | None
    delivered_late: bool
    tracking_number: str
    document: str | None

    @staticmethod
    def of(row) -> CaseDeliveryOut:
        return CaseDeliveryOut(
            case=row.case.number,
            method=row.method,
            pickup_zone=row.pickup_zone.code if row.pickup_zone_id else None,
            post_region=row.post_region,
            post_recipient=row.post_recipient,
            post_phone=row.post_phone,
            post_address=row.post_address,
            chosen_at=row.chosen_at,
            due=row.due,
            delivered_at=row.delivered_at,
            delivered_late=row.delivered_late,
            tracking_number=row.tracking_number,
            document=row.document.number if row.document_id else None,
        )


class LateCase(Schema):
    number: str
    status: str
    decided_at: dt.datetime | None
    due: dt.date | None


class LatePage(Schema):
    items: list[LateCase]
    next: int | None


def _address(body: AddressIn | None):
    if body is None:
        return None
    return services.PostalAddress(body.region, body.recipient, body.phone, body.address)


@delivery_router.get("/late", response={200: LatePage, **ERRORS}, summary="Undelivered, late")
def late(request: HttpRequest, after: DatabaseId | None = None, limit: int = 50):
    return _respond(
        lambda: services.late_deliveries(request.auth, after=after, limit=limit),
        lambda result: LatePage(
            items=[
                LateCase(
                    number=c.number,
                    status=c.status,
                    decided_at=c.decided_at,
                    due=services.delivery_due(c),
                )
                for c in result[0]
            ],
            next=result[1],
        ),
    )


@delivery_router.get(
    "/{number}", response={200: CaseDeliveryOut | None, **ERRORS}, summary="The delivery of a case"
)
def get_delivery(request: HttpRequest, number: str):
    return _respond(
        lambda: services.delivery_of(request.auth, number),
        lambda row: CaseDeliveryOut.of(row) if row else None,
    )


@delivery_router.put(
    "/{number}/preference", response={200: CaseDeliveryOut, **ERRORS}, summary="Choose the delivery"
)
def choose(request: HttpRequest, number: str, body: PreferenceIn):
    return _respond(
        lambda: services.set_delivery_preference(
            request.auth,
            number,
            method=body.method,
            zone=_zone(body.zone) if body.zone else None,
            address=_address(body.address),
        ),
        CaseDeliveryOut.of,
    )


@delivery_router.post(
    "/{number}", response={200: CaseDeliveryOut, **ERRORS}, summary="Record the delivery (staff)"
)
def record(request: HttpRequest, number: str, body: RecordIn):
    return _respond(
        lambda: services.record_delivery(
            request.auth,
            number,
            method=body.method,
            zone=_zone(body.zone) if body.zone else None,
            address=_address(body.address),
            tracking_number=body.tracking_number,
            document_number=body.document_number,
            note=body.note,
        ),
        CaseDeliveryOut.of,
    )
