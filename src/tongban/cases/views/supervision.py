"""The supervisor's face (/staff/supervision/): overdue cases, bad ratings and their
follow-ups, notifications that failed for good (with "send again"), staff whose person look-ups
went over their hourly budget. Every list is a keyset page
of at most ``PAGE`` rows, each with its own cursor in the address."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.accounts import services as accounts

from .. import services
from .common import require_staff

PAGE = 50


def _notifications():
    if not apps.is_installed("tongban.notifications"):
        return None
    from tongban.notifications import services as notifications

    return notifications


def _int_cursor(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
def supervision(request):
    require_staff(request.user)
    user = request.user
    after = request.GET.get("after") or None
    try:
        overdue, next_after = services.overdue_cases(user, after=after, limit=PAGE)
    except PermissionDenied as error:
        raise Http404(_("There is no such page.")) from error
    except ValidationError:
        overdue, next_after = [], None
    ratings, next_ratings = services.bad_ratings(
        user, after=_int_cursor(request.GET.get("ratings_after")), limit=PAGE
    )
    notifications = _notifications()
    failed, next_failed = (
        notifications.failed_deliveries(
            user, after=_int_cursor(request.GET.get("failed_after")), limit=PAGE
        )
        if notifications
        else ([], None)
    )
    context = {
        "overdue": [
            {
                "case": case,
                # The earlier date that passed: the promise usually falls before the law's limit.
                "missed": case.clock.due,
                "late": max(0, -(services.working_days_left(case.clock.due) or 0)),
            }
            for case in overdue
        ],
        "next_after": next_after,
        "paged": bool(after),
        "bad_ratings": ratings,
        "next_ratings": next_ratings,
        "failed": failed,
        "next_failed": next_failed,
        "notifications_installed": notifications is not None,
        "lookup_alerts": accounts.volume_alerts(user),
        "sees_lookup_alerts": accounts.can(user, accounts.Action.AUDIT_VIEW),
    }
    return render(request, "cases/supervision.html", context)


@login_required
@require_POST
def resend(request, delivery_id: int):
    require_staff(request.user)
    notifications = _notifications()
    if notifications is None:
        raise Http404(_("There is no such page."))
    try:
        notifications.resend(request.user, delivery_id)
    except PermissionDenied as error:
        raise Http404(_("There is no such page.")) from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ObjectDoesNotExist as error:
        raise Http404(_("There is no such message.")) from error
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("cases:supervision")
