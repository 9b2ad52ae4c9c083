"""The public case-status page (no account) and claiming a counter profile (signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..forms import StatusLookupForm
from ..public_status import StatusRefused, claim_counter_case, public_status


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _refused(request, template: str, form, refused: StatusRefused, **context):
    form.add_error(None, refused.message)
    response = render(
        request, template, {"form": form, **context}, status=429 if refused.wait else 400
    )
    if refused.wait:
        response["Retry-After"] = str(refused.wait)
    return response


@never_cache
def status_page(request):
    if request.method != "POST":
        form = StatusLookupForm(initial={"number": request.GET.get("number", "")[:20]})
        return render(request, "cases/public_status.html", {"form": form})
    form = StatusLookupForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/public_status.html", {"form": form}, status=400)
    try:
        found = public_status(
            form.cleaned_data["number"], form.cleaned_data["code"], client=_client(request)
        )
    except StatusRefused as refused:
        return _refused(request, "cases/public_status.html", form, refused)
    return render(request, "cases/public_status.html", {"form": StatusLookupForm(), "found": found})


@never_cache
@login_required
def claim(request):
    form = StatusLookupForm(
        request.POST or None, initial={"number": request.GET.get("number", "")[:20]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = claim_counter_case(
                request.user,
                form.cleaned_data["number"],
                form.cleaned_data["code"],
                client=_client(request),
            )
        except StatusRefused as refused:
            return _refused(request, "cases/claim.html", form, refused)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
            return render(request, "cases/claim.html", {"form": form}, status=400)
        messages.success(
            request,
            _("Your profile and the cases started for you at a counter are now in your account."),
        )
        return redirect("cases:case", number=case.number)
    return render(request, "cases/claim.html", {"form": form}, status=400 if form.errors else 200)
