"""The reviewer's face: the queue (/staff/queue/) and the staff case page with its actions.

The case page offers exactly the actions ``services.case_detail`` says this viewer may take
now (the transition table and the permission rules); each is a POST form. An action forced
anyway (a stale page, a crafted request) gets the page back with a translated message: 409
for a state that does not allow it, 400 for bad input; a case outside the viewer's department
is a 404.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.catalog import services as catalog

from .. import services
from ..constants import CaseAction as A
from ..forms import (
    DeliverForm,
    ExtendForm,
    NoteForm,
    QueueFilterForm,
    ReasonsForm,
    SpecialProcedureForm,
    SupplementForm,
    apply_service_errors,
)
from . import followup
from .common import (
    attachment_response,
    deadline_context,
    detail_or_404,
    letter_response,
    open_supplement,
    require_staff,
    timeline,
)
from .materials_view import materials_for_review

# Actions taken from the staff case page, in the order shown; submit and resubmit are the
# applicant's (or the counter's) and live on their own pages.
STAFF_ACTIONS = [
    A.ACCEPT,
    A.ACCEPT_AND_DECIDE,
    A.REQUEST_SUPPLEMENT,
    A.REFUSE,
    A.START_REVIEW,
    A.BEGIN_SPECIAL_PROCEDURE,
    A.END_SPECIAL_PROCEDURE,
    A.EXTEND,
    A.APPROVE,
    A.DENY,
    A.DELIVER,
    A.CLOSE,
    A.WITHDRAW,
]
LABELS = {
    A.ACCEPT: gettext_lazy("Accept"),
    A.ACCEPT_AND_DECIDE: gettext_lazy("Accept and decide on the spot"),
    A.REQUEST_SUPPLEMENT: gettext_lazy("Ask for supplements"),
    A.REFUSE: gettext_lazy("Refuse to accept"),
    A.START_REVIEW: gettext_lazy("Start the review"),
    A.BEGIN_SPECIAL_PROCEDURE: gettext_lazy("Begin a special procedure"),
    A.END_SPECIAL_PROCEDURE: gettext_lazy("End the special procedure"),
    A.EXTEND: gettext_lazy("Extend the time limit"),
    A.APPROVE: gettext_lazy("Approve"),
    A.DENY: gettext_lazy("Deny"),
    A.DELIVER: gettext_lazy("Record the delivery"),
    A.CLOSE: gettext_lazy("Close"),
    A.WITHDRAW: gettext_lazy("Withdraw"),
}
DONE = {
    A.ACCEPT: gettext_lazy("The case is accepted; the acceptance notice is being issued."),
    A.ACCEPT_AND_DECIDE: gettext_lazy("The case is accepted and approved on the spot."),
    A.REQUEST_SUPPLEMENT: gettext_lazy("The supplement notice is sent to the applicant."),
    A.REFUSE: gettext_lazy("The case is not accepted; the decision is being issued."),
    A.START_REVIEW: gettext_lazy("The review has started."),
    A.BEGIN_SPECIAL_PROCEDURE: gettext_lazy(
        "The special procedure has begun; the clock is paused."
    ),
    A.END_SPECIAL_PROCEDURE: gettext_lazy("The special procedure has ended; the clock runs again."),
    A.EXTEND: gettext_lazy("The time limit is extended."),
    A.APPROVE: gettext_lazy("The application is approved; the decision is being issued."),
    A.DENY: gettext_lazy("The application is denied; the decision is being issued."),
    A.DELIVER: gettext_lazy("The delivery of the result is recorded."),
    A.CLOSE: gettext_lazy("The case is closed."),
    A.WITHDRAW: gettext_lazy("The application is withdrawn."),
}


def _form_for(action: str, case, data=None):
    prefix = action
    if action == A.REQUEST_SUPPLEMENT:
        return SupplementForm(
            data, materials=case.item.materials.order_by("position"), prefix=prefix
        )
    if action in (A.REFUSE, A.DENY):
        return ReasonsForm(data, prefix=prefix)
    if action == A.EXTEND:
        return ExtendForm(data, prefix=prefix)
    if action == A.BEGIN_SPECIAL_PROCEDURE:
        return SpecialProcedureForm(data, prefix=prefix)
    if action == A.DELIVER:
        return DeliverForm(data, zones=catalog.list_zones(), prefix=prefix)
    return NoteForm(data, prefix=prefix)


def _zone(zone_id):
    return next((z for z in catalog.list_zones() if z.pk == zone_id), None) if zone_id else None


def _call(action: str, user, number: str, form) -> None:
    data = form.cleaned_data
    note = data.get("note", "")
    if action == A.REQUEST_SUPPLEMENT:
        services.request_supplement(
            user,
            number,
            missing_requirements=data["missing_requirements"],
            missing_other=form.other_lines(),
            note=note,
            answer_within_days=data["answer_within_days"],
        )
    elif action == A.REFUSE:
        services.refuse(user, number, reasons=data["reasons"], note=note)
    elif action == A.DENY:
        services.deny(user, number, reasons=data["reasons"], note=note)
    elif action == A.EXTEND:
        services.extend(user, number, reason=data["reason"])
    elif action == A.BEGIN_SPECIAL_PROCEDURE:
        services.begin_special_procedure(user, number, procedure=data["procedure"], note=note)
    elif action == A.DELIVER:
        services.record_delivery(
            user,
            number,
            method=data["method"] or None,
            zone=_zone(data["zone"]),
            tracking_number=data["tracking_number"],
            note=note,
        )
    else:
        simple = {
            A.ACCEPT: services.accept,
            A.ACCEPT_AND_DECIDE: services.accept_and_decide,
            A.START_REVIEW: services.start_review,
            A.END_SPECIAL_PROCEDURE: services.end_special_procedure,
            A.APPROVE: services.approve,
            A.CLOSE: services.close,
            A.WITHDRAW: services.withdraw,
        }
        simple[action](user, number, note=note)


def case_page(
    request, number: str, *, bound=None, status: int = 200, error: str = "", followup_bound=None
):
    require_staff(request.user)
    detail = detail_or_404(request.user, number)
    case = detail.case
    actions = []
    for action in STAFF_ACTIONS:
        if action not in detail.actions:
            continue
        form = bound if bound is not None and bound.prefix == action else _form_for(action, case)
        actions.append({"action": action, "label": LABELS[action], "form": form})
    context = {
        "case": case,
        "detail": detail,
        "actions": actions,
        "timeline": timeline(detail, request.user, staff=True),
        "letters": services.case_letters(request.user, number),
        "materials": materials_for_review(detail.attachments),
        "supplement": open_supplement(detail),
        "error": error,
        **deadline_context(case),
        **followup.staff_context(request.user, case, bound=followup_bound),
        "can_record_visit": case.received_at_zone_id
        in {zone.pk for zone in services.counter_zones(request.user)},
    }
    return render(request, "cases/staff_case.html", context, status=status)


@login_required
def staff_case(request, number: str):
    return case_page(request, number)


# Decisions ask for the password (or a code) again unless the reviewer re-authenticated in the
# last few minutes (allauth's flow; ACCOUNT_REAUTHENTICATION_TIMEOUT): a session left open on
# a counter or a stolen cookie cannot decide a case.
DECISIONS = frozenset({A.ACCEPT_AND_DECIDE, A.REFUSE, A.APPROVE, A.DENY})


@login_required
@require_POST
def act(request, number: str, action: str):
    if action in DECISIONS:
        return _act_after_reauthentication(request, number, action)
    return _act(request, number, action)


@reauthentication_required
def _act_after_reauthentication(request, number: str, action: str):
    return _act(request, number, action)


def _act(request, number: str, action: str):
    require_staff(request.user)
    if action not in STAFF_ACTIONS:
        raise Http404(_("There is no such action."))
    detail = detail_or_404(request.user, number)
    form = _form_for(action, detail.case, request.POST)
    if not form.is_valid():
        return case_page(request, number, bound=form, status=400)
    try:
        _call(action, request.user, number, form)
    except services.IllegalTransition as error:
        return case_page(request, number, status=409, error=error.message)
    except ValidationError as error:
        apply_service_errors(form, error)
        return case_page(request, number, bound=form, status=400)
    except PermissionDenied:
        return case_page(request, number, status=403, error=_("You are not allowed to do this."))
    except services.CaseNotFound as error:
        raise Http404(_("There is no such case.")) from error
    messages.success(request, str(DONE[action]))
    return redirect("cases:staff_case", number=number)


@login_required
def staff_attachment(request, number: str, attachment_id: int):
    require_staff(request.user)
    return attachment_response(request.user, number, attachment_id)


@login_required
def staff_letter(request, number: str, letter_number: str):
    require_staff(request.user)
    return letter_response(request.user, number, letter_number)


# --- The queue ---------------------------------------------------------------------------------


@login_required
def queue(request):
    require_staff(request.user)
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        cases, next_after = services.reviewer_queue(
            request.user,
            status=filters.get("status") or None,
            due_before=filters.get("due_before"),
            after=filters.get("after") or None,
        )
    except PermissionDenied as error:
        raise Http404(_("There is no such page.")) from error
    except ValidationError as error:
        apply_service_errors(form, error)
        cases, next_after = [], None
    first = request.GET.copy()
    first.pop("after", None)
    query = first.copy()
    if next_after:
        query["after"] = next_after
    context = {
        "form": form,
        "cases": cases,
        "next_query": query.urlencode() if next_after else "",
        "first_query": first.urlencode(),
        "paged": bool(filters.get("after")),
    }
    return render(request, "cases/queue.html", context, status=400 if form.errors else 200)
