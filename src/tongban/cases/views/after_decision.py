"""The delivery choice (送达) and the rating (好差评) on the applicant's case page.

The applicant chooses how the result reaches them (counter pickup at a zone, EMS post to Hong
Kong or Macao, or download) until it is delivered; after a decision they rate the service once,
and when a bad rating's follow-up has an outcome they say whether it satisfies them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.accounts.services import Action
from tongban.catalog import services as catalog

from .. import services
from ..constants import CaseStatus, DeliveryMethod
from ..forms import DeliveryChoiceForm, FeedbackForm, RatingForm, apply_service_errors
from ..rating_constants import FollowUpStatus, RatingDimension

# The result can still be sent another way in these states (see services.set_delivery_preference).
CHOICE_OPEN = frozenset(
    {
        CaseStatus.SUBMITTED,
        CaseStatus.SUPPLEMENT_REQUESTED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_REVIEW,
        CaseStatus.SPECIAL_PROCEDURE,
        CaseStatus.APPROVED,
        CaseStatus.DENIED,
    }
)


def _delivery_form(data=None, delivery=None):
    initial = {}
    if delivery is not None:
        initial = {
            "method": delivery.method,
            "zone": delivery.pickup_zone_id,
            "region": delivery.post_region,
            "recipient": delivery.post_recipient,
            "phone": delivery.post_phone,
            "address": delivery.post_address,
        }
    return DeliveryChoiceForm(data, initial=initial, zones=catalog.list_zones(), prefix="delivery")


def _rating_form(data=None):
    return RatingForm(data, dimensions=RatingDimension.choices, prefix="rating")


def context(request, case, *, bound=None) -> dict:
    """What the case page shows after (and before) the decision; ``bound`` redisplays a form."""
    number = case.number
    delivery = services.delivery_of(request.user, number)
    rating = services.rating_of_case(request.user, number)
    follow_up = getattr(rating, "follow_up", None) if rating else None
    forms = {
        "delivery_form": _delivery_form(None, delivery)
        if case.status in CHOICE_OPEN
        and services.applicant_may(request.user, case, Action.CASE_CHOOSE_DELIVERY)
        else None,
        "rating_form": _rating_form() if services.may_rate(request.user, case) else None,
        "feedback_form": FeedbackForm(prefix="feedback")
        if follow_up is not None and follow_up.status == FollowUpStatus.RESOLVED
        else None,
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return {"delivery": delivery, "rating": rating, "follow_up": follow_up, **forms}


def _back_with_errors(request, number: str, name: str, form):
    from .applicant import case_page

    return case_page(request, number, status=400, bound=(name, form))


def _save_or_show_errors(request, number, form, form_name, save, success, refusals=()):
    """For a valid form run ``save(cleaned_data)``: then a message and back to the case page;
    otherwise (or when the service refuses) the case page again with the form's errors."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            from .applicant import refused  # circular: the applicant views import this module

            return refused(request, number, str(error))
        except refusals as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect("cases:case", number=number)
    return _back_with_errors(request, number, form_name, form)


@login_required
@require_POST
def choose_delivery(request, number: str):
    from .applicant import _own_detail

    _own_detail(request, number)

    def save(data):
        zone = next((z for z in catalog.list_zones() if z.pk == data["zone"]), None)
        address = None
        if data["method"] == DeliveryMethod.POST:
            address = services.PostalAddress(
                data["region"], data["recipient"], data["phone"], data["address"]
            )
        services.set_delivery_preference(
            request.user,
            number,
            method=data["method"],
            zone=zone if data["method"] == DeliveryMethod.COUNTER else None,
            address=address,
        )

    return _save_or_show_errors(
        request,
        number,
        _delivery_form(request.POST),
        "delivery_form",
        save,
        _("Your choice of delivery is saved."),
    )


@login_required
@require_POST
def rate(request, number: str):
    from .applicant import _own_detail

    _own_detail(request, number)
    form = _rating_form(request.POST)

    def save(data):
        services.submit_rating(
            request.user,
            case_number=number,
            level=data["level"],
            scores=form.scores(),
            comment=data["comment"],
        )

    return _save_or_show_errors(
        request, number, form, "rating_form", save, _("Thank you: your rating is recorded.")
    )


@login_required
@require_POST
def feedback(request, number: str):
    from .applicant import _own_detail

    _own_detail(request, number)
    rating = services.rating_of_case(request.user, number)
    follow_up = getattr(rating, "follow_up", None) if rating else None
    if follow_up is None:
        raise Http404(_("There is no such follow-up."))

    def save(data):
        services.give_feedback(
            request.user, follow_up.pk, feedback=data["feedback"], note=data["note"]
        )

    return _save_or_show_errors(
        request,
        number,
        FeedbackForm(request.POST, prefix="feedback"),
        "feedback_form",
        save,
        _("Thank you: your answer is recorded."),
        refusals=(services.WrongState, services.FollowUpNotFound),
    )


# --- 一次一评: a counter visit, rated from "my cases" --------------------------------------------


def visit_forms(user, data=None, bound_visit: int | None = None) -> list[dict]:
    """The user's unrated counter visits, each with its own rating form."""
    rows = []
    for visit in services.rateable_visits(user, limit=5):
        bound = data if visit.pk == bound_visit else None
        form = RatingForm(bound, dimensions=RatingDimension.choices, prefix=f"visit{visit.pk}")
        rows.append({"visit": visit, "form": form})
    return rows


@login_required
@require_POST
def rate_visit(request, visit_id: int):
    from .applicant import my_cases

    rows = visit_forms(request.user, request.POST, visit_id)
    row = next((r for r in rows if r["visit"].pk == visit_id), None)
    if row is None:
        raise Http404(_("There is no such visit of yours to rate."))
    form = row["form"]
    if form.is_valid():
        try:
            services.submit_rating(
                request.user,
                visit_id=visit_id,
                level=form.cleaned_data["level"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            raise Http404(_("There is no such visit of yours to rate.")) from error
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("cases:mine")
    return my_cases(request, visits=rows, status=400)
