"""The supervisor's face (/staff/supervision/): overdue cases, bad ratings and their
follow-ups, notifications that failed. Every list is bounded or keyset-paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services
from .common import require_staff

BOUNDED = 50


def _optional(name: str, user, **kwargs):
    """A list from a part of the services that may not be installed (ratings, notifications)."""
    function = getattr(services, name, None)
    if function is None:
        return None
    return function(user, **kwargs)


@login_required
def supervision(request):
    require_staff(request.user)
    after = request.GET.get("after") or None
    try:
        overdue, next_after = services.overdue_cases(request.user, after=after, limit=BOUNDED)
    except PermissionDenied as error:
        raise Http404(_("There is no such page.")) from error
    except ValidationError:
        overdue, next_after = [], None
    context = {
        "overdue": [
            {"case": case, "late": max(0, -(services.working_days_left(case.statutory_due) or 0))}
            for case in overdue
        ],
        "next_after": next_after,
        "paged": bool(after),
        "bad_ratings": _optional("bad_ratings", request.user, limit=BOUNDED),
        "failed_notifications": _optional("failed_notifications", request.user, limit=BOUNDED),
    }
    return render(request, "cases/supervision.html", context)
