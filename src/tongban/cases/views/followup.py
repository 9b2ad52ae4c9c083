"""Bad-rating follow-ups on the staff case page: call-backs and the outcome (回访, 整改)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import CallBackForm, OutcomeForm, apply_service_errors
from ..rating_constants import FOLLOW_UP_PENDING, FollowUpOutcome, FollowUpStatus
from .common import detail_or_404, require_staff


def _outcome_form(data=None):
    return OutcomeForm(data, outcomes=FollowUpOutcome.choices, prefix="outcome")


def staff_context(user, case, *, bound=None) -> dict:
    rating = services.rating_of_case(user, case.number)
    follow_up = getattr(rating, "follow_up", None) if rating else None
    context = {"rating": rating, "follow_up": follow_up, "call_backs": []}
    if follow_up is None:
        return context
    context["call_backs"] = list(follow_up.call_backs.order_by("pk")[:50])
    if follow_up.status in FOLLOW_UP_PENDING:
        context["call_back_form"] = CallBackForm(prefix="call")
    if follow_up.status == FollowUpStatus.CALLED_BACK:
        context["outcome_form"] = _outcome_form()
    if bound is not None:
        context[bound[0]] = bound[1]
    return context


def _follow_up_or_404(request, number: str):
    require_staff(request.user)
    detail_or_404(request.user, number)
    rating = services.rating_of_case(request.user, number)
    follow_up = getattr(rating, "follow_up", None) if rating else None
    if follow_up is None:
        raise Http404(_("There is no such follow-up."))
    return follow_up


def _handle(request, number: str, name: str, form, call):
    from .review import case_page

    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except services.WrongState as error:
            form.add_error(None, error.message)
        except (PermissionDenied, services.FollowUpNotFound) as error:
            raise Http404(_("There is no such follow-up.")) from error
        else:
            messages.success(request, _("The follow-up is updated."))
            return redirect("cases:staff_case", number=number)
    return case_page(request, number, status=400, followup_bound=(name, form))


@login_required
@require_POST
def call_back(request, number: str):
    follow_up = _follow_up_or_404(request, number)
    form = CallBackForm(request.POST, prefix="call")
    return _handle(
        request,
        number,
        "call_back_form",
        form,
        lambda data: services.record_call_back(
            request.user, follow_up.pk, reached=data["reached"], note=data["note"]
        ),
    )


@login_required
@require_POST
def outcome(request, number: str):
    follow_up = _follow_up_or_404(request, number)
    form = _outcome_form(request.POST)
    return _handle(
        request,
        number,
        "outcome_form",
        form,
        lambda data: services.record_outcome(
            request.user,
            follow_up.pk,
            outcome=data["outcome"],
            note=data["note"],
            ledger_reason=data["ledger_reason"],
            ledger_due=data["ledger_due"],
        ),
    )
