"""/api/v1/notifications: the caller's inbox; failed deliveries and channel health for supervisors.

Authentication: the browser session (with CSRF) or a staff API token. Errors answer in the API's
one shape (``core.errors.ApiError``): 403 not allowed, 404 not yours, 409 not failed, 422 bad
cursor.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import SessionAuth

from tongban.accounts.api_auth import StaffTokenAuth
from tongban.core import errors
from tongban.core.errors import ApiError
from tongban.core.ids import DatabaseId

from . import services
from .models import Delivery, Notification

# A staff integration's API token: any valid one reads; changes need "notifications".
NOTIFICATIONS_SCOPE = "notifications"
router = Router(tags=["notifications"], auth=[StaffTokenAuth(NOTIFICATIONS_SCOPE), SessionAuth()])


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


class NotificationDeliveryOut(Schema):  # its own name: cases has a DeliveryOut
    id: int
    channel: str
    event: str
    to: str
    status: str
    attempts: int
    last_error: str
    updated_at: dt.datetime


class FailedOut(Schema):
    items: list[NotificationDeliveryOut]
    next: int | None


class ReadAllOut(Schema):
    marked: int = Field(description="How many notifications were marked read")


class HealthOut(Schema):
    name: str
    ok: bool
    detail: str


ERRORS = {403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError}


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


def _delivery(d: Delivery) -> NotificationDeliveryOut:
    return NotificationDeliveryOut(
        id=d.pk,
        channel=d.channel,
        event=d.event,
        to=d.address_masked,
        status=d.status,
        attempts=d.attempts,
        last_error=d.last_error,
        updated_at=d.updated_at,
    )


def _bad_cursor() -> errors.Unprocessable:
    return errors.Unprocessable(_("This page link is damaged; start again."), code="bad_cursor")


@router.get("", response={200: InboxOut, **ERRORS}, summary="My notifications, newest first")
def inbox(request: HttpRequest, after: DatabaseId | None = None, limit: int = 20):
    try:
        page, cursor = services.inbox(request.auth, after=after, limit=limit)
    except ValidationError:
        raise _bad_cursor() from None
    return InboxOut(
        items=[_notification(n) for n in page],
        unread=services.unread_count(request.auth),
        next=cursor,
    )


@router.post(
    "/read-all", response={200: ReadAllOut, **ERRORS}, summary="Mark all my notifications read"
)
def read_all(request: HttpRequest):
    return ReadAllOut(marked=services.mark_all_read(request.auth))


@router.post(
    "/{notification_id}/read", response={200: NotificationOut, **ERRORS}, summary="Mark read"
)
def read(request: HttpRequest, notification_id: DatabaseId):
    try:
        return _notification(services.mark_read(request.auth, notification_id))
    except (Notification.DoesNotExist, ValidationError):
        raise errors.NotFound(_("There is no such notification.")) from None


@router.get(
    "/failed", response={200: FailedOut, **ERRORS}, summary="Failed deliveries (supervisors)"
)
def failed(request: HttpRequest, after: DatabaseId | None = None, limit: int = 50):
    try:
        page, cursor = services.failed_deliveries(request.auth, after=after, limit=limit)
    except ValidationError:
        raise _bad_cursor() from None
    return FailedOut(items=[_delivery(d) for d in page], next=cursor)


@router.post(
    "/failed/{delivery_id}/resend",
    response={200: NotificationDeliveryOut, **ERRORS},
    summary="Send again",
)
def resend(request: HttpRequest, delivery_id: DatabaseId):
    try:
        return _delivery(services.resend(request.auth, delivery_id))
    except Delivery.DoesNotExist:
        raise errors.NotFound(_("There is no such message.")) from None
    except ValidationError as error:
        raise errors.Conflict(" ".join(error.messages), code="not_failed") from None


@router.get(
    "/channels", response={200: list[HealthOut], **ERRORS}, summary="Channel health (supervisors)"
)
def channels(request: HttpRequest):
    results = services.channel_health_for(request.auth)
    return [HealthOut(name=h.name, ok=h.ok, detail=h.detail) for h in results]
