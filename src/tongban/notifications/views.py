"""The inbox page: /me/inbox/, and POST forms to mark notifications read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def inbox(request):
    try:
        page, next_cursor = services.inbox(request.user, after=request.GET.get("after"))
    except ValidationError:
        return redirect("notifications:inbox")
    context = {
        "notifications": page,
        "next_cursor": next_cursor,
        "first_page": not request.GET.get("after"),
        "unread": services.unread_count(request.user),
    }
    return render(request, "notifications/inbox.html", context)


def _local(request, target: str) -> bool:
    """Only addresses on this site are followed (never ``//elsewhere`` or ``javascript:``)."""
    return bool(target) and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )


def _back(request):
    target = request.POST.get("next", "")
    if _local(request, target):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        notification = services.mark_read(request.user, pk)
    except (Notification.DoesNotExist, ValidationError) as error:
        raise Http404 from error
    if request.POST.get("open") and _local(request, notification.link):
        return redirect(notification.link)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")
