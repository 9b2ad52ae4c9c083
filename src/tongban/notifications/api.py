"""/api/v1/notifications: the caller's inbox; failed deliveries and channel health for supervisors.

Authentication: the browser session (with CSRF) or a staff API token. Errors answer with
``{"detail", "code"}``: 403 not allowed, 404 not yours, 409 not failed, 422 bad cursor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from tongban.accounts.api_auth import StaffTokenAuth
from tongban.core.ids import DatabaseId

from . import services
from .models import Delivery, Notification

# A staff integration's API token: any valid one reads; changes need "notifications".
NOTIFICATIONS_SCOPE = "notifications"
router = Router(tags=["notifications"], auth=[StaffTokenAuth(NOTIFICATIONS_SCOPE), SessionAuth()])


class NotificationErrorOut(Schema):  # its own name: OpenAPI keeps one schema per class name
    detail: str
    code: str


ErrorOut = NotificationErrorOut


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxOut(Schema):
    items: list[NotificationOut]
    unread: int
    next: int | None


class DeliveryOut(Schema):
    id: int
    channel: str
    event: str
    to: str
    status: str
    attempts: int
    last_error: str
    updated_at: dt.datetime


class FailedOut(Schema):
    items: list[DeliveryOut]
    next: int | None


class HealthOut(Schema):
    name: str
    ok: bool
    detail: str


class FrameworkErrorOut(Schema):
    """401 and schema-level 422 answers come from django-ninja itself, in its own shape."""

    detail: str | list[dict[str, Any]]
    code: str = "invalid"


ERRORS = {
    400: FrameworkErrorOut,
    401: FrameworkErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: FrameworkErrorOut,
}


def _notification(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        event=n.event,
        title=n.title,
        body=n.body,
        link=n.link,
        created_at=n.created_at,
        read_at=n.read_at,
    )


def _delivery(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.pk,
        channel=d.channel,
        event=d.event,
        to=d.address_masked,
        status=d.status,
        attempts=d.attempts,
        last_error=d.last_error,
        updated_at=d.updated_at,
    )


def _forbidden(error: PermissionDenied):
    return Status(
        403, ErrorOut(detail=str(error) or _("You are not allowed to do this."), code="forbidden")
    )


def _bad_cursor():
    return Status(
        422, ErrorOut(detail=_("This page link is damaged; start again."), code="bad_cursor")
    )


@router.get("", response={200: InboxOut, **ERRORS}, summary="My notifications, newest first")
def inbox(request: HttpRequest, after: DatabaseId | None = None, limit: int = 20):
    try:
        page, cursor = services.inbox(request.auth, after=after, limit=limit)
    except ValidationError:
        return _bad_cursor()
    return InboxOut(
        items=[_notification(n) for n in page],
        unread=services.unread_count(request.auth),
        next=cursor,
    )


@router.post("/read-all", response={200: dict, **ERRORS}, summary="Mark all my notifications read")
def read_all(request: HttpRequest):
    return {"marked": services.mark_all_read(request.auth)}


@router.post(
    "/{notification_id}/read", response={200: NotificationOut, **ERRORS}, summary="Mark read"
)
def read(request: HttpRequest, notification_id: DatabaseId):
    try:
        return _notification(services.mark_read(request.auth, notification_id))
    except (Notification.DoesNotExist, ValidationError):
        return Status(404, ErrorOut(detail=_("There is no such notification."), code="not_found"))


@router.get(
    "/failed", response={200: FailedOut, **ERRORS}, summary="Failed deliveries (supervisors)"
)
def failed(request: HttpRequest, after: DatabaseId | None = None, limit: int = 50):
    try:
        page, cursor = services.failed_deliveries(request.auth, after=after, limit=limit)
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError:
        return _bad_cursor()
    return FailedOut(items=[_delivery(d) for d in page], next=cursor)


@router.post(
    "/failed/{delivery_id}/resend", response={200: DeliveryOut, **ERRORS}, summary="Send again"
)
def resend(request: HttpRequest, delivery_id: DatabaseId):
    try:
        return _delivery(services.resend(request.auth, delivery_id))
    except PermissionDenied as error:
        return _forbidden(error)
    except Delivery.DoesNotExist:
        return Status(404, ErrorOut(detail=_("There is no such message."), code="not_found"))
    except ValidationError as error:
        return Status(409, ErrorOut(detail=" ".join(error.messages), code="not_failed"))


@router.get(
    "/channels", response={200: list[HealthOut], **ERRORS}, summary="Channel health (supervisors)"
)
def channels(request: HttpRequest):
    try:
        results = services.channel_health_for(request.auth)
    except PermissionDenied as error:
        return _forbidden(error)
    return [HealthOut(name=h.name, ok=h.ok, detail=h.detail) for h in results]
